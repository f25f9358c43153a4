#pragma once

#include "safety/Evaluator.h"
#include "ui/ClinicalContext.h"

namespace tautband::console {

class StoreServices;
class SafetyServices;
class NeedlingServices;

// The clinical context, wired once: it follows the login and the session of StoreServices
// and feeds the laser (SafetyServices) and needling (NeedlingServices) view models
// (docs/CLINICAL-CONTEXT.md). Declare it after those three: it is destroyed first.
class ClinicalServices {
 public:
  ClinicalServices(StoreServices& store, SafetyServices& safety, NeedlingServices& needling);
  ui::ClinicalContext& context() { return context_; }
  // The clinic's settings changed (GUI thread): history and the power-check interval follow.
  void applyClinicSettings(const safety::ClinicSettings& settings) { evaluator_.replaceSettings(settings); }

 private:
#ifdef TAUTBAND_SCREENSHOT_LOGIN_HOOK
  void screenshotLogin(StoreServices& store);
#endif
  // Judges the store's earlier needles exactly as the rules did (lung-field history).
  safety::Evaluator evaluator_;
  ui::ClinicalContext context_;
};

}  // namespace tautband::console
