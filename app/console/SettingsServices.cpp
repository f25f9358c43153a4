#include "console/SettingsServices.h"

#include "console/ClinicalServices.h"
#include "console/NeedlingServices.h"
#include "console/SafetyServices.h"
#include "console/StoreServices.h"
#include "core/Logging.h"

namespace tautband::console {

SettingsServices::SettingsServices(StoreServices& store, SafetyServices& safety, NeedlingServices& needling,
                                   ClinicalServices& clinical, QObject* parent)
    : QObject(parent), safety_(safety), needling_(needling), clinical_(clinical),
      model_(store.auth(), anatomy::Atlas::builtin()) {
  connect(&store, &StoreServices::storeOpened, this,
          [this](const std::shared_ptr<store::Store>& opened) { model_.attach(*opened); });
  connect(&model_, &ui::ClinicSettingsModel::configurationChanged, this, &SettingsServices::apply);
}

void SettingsServices::apply() {
  const auto& configuration = model_.configuration();
  for (const auto& problem : configuration.problems)
    core::logger(core::subsystem::kSafety)->warn("{}", problem);
  // All three evaluators live on this (GUI) thread; the supervisor thread reads none of them.
  safety_.applyClinicSettings(configuration.settings);
  needling_.applyClinicSettings(configuration.settings);
  clinical_.applyClinicSettings(configuration.settings);
}

}  // namespace tautband::console
