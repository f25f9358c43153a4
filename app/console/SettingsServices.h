#pragma once

#include "ui/ClinicSettingsModel.h"

#include <QObject>

namespace tautband::console {

class StoreServices;
class SafetyServices;
class NeedlingServices;
class ClinicalServices;

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
};

}  // namespace tautband::console
