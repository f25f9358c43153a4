#pragma once

#include "safety/ClinicSettings.h"
#include "ui/ClinicSettingsModel.h"

#include <QObject>

namespace tautband::ui {
class NeedlingModel;
}

namespace tautband::console {

class StoreServices;
class SafetyServices;
class NeedlingServices;
class ClinicalServices;
class StoreSafetyAudit;

// Approvals that rest on a setting the change withdraws end with it: the clinic's research
// setting going from on to off revokes the needling page's standing AMP-RESEARCH approval
// (SAFETY-RULES.md Amplifiers; turning it on again needs a new approval), audited as
// `safety.approval-revoked` with who had approved and why it ended. Call it before the
// needling evaluator gets `after`. Returns the rule ids revoked.
QStringList revokeApprovalsTheSettingsWithdraw(const safety::ClinicSettings& before, const safety::ClinicSettings& after,
                                               ui::NeedlingModel& needling, StoreSafetyAudit& audit);

// The clinic's settings, wired once: the Settings page's view model reads them from the
// store when it opens and after every manager's change, and every evaluator of the console
// (laser, needling, clinical history) is switched to them on the GUI thread. Until the store
// answers, the shipped defaults apply. Declare it after the services it feeds.
class SettingsServices : public QObject {
  Q_OBJECT
 public:
  SettingsServices(StoreServices& store, SafetyServices& safety, NeedlingServices& needling,
                   ClinicalServices& clinical, QObject* parent = nullptr);
  ui::ClinicSettingsModel& model() { return model_; }

 private:
  void apply();

  SafetyServices& safety_;
  NeedlingServices& needling_;
  ClinicalServices& clinical_;
  ui::ClinicSettingsModel model_;
  safety::ClinicSettings applied_ = safety::defaultClinicSettings();  // what the evaluators use now
};

}  // namespace tautband::console
