#include "console/SettingsServices.h"

#include "console/ClinicalServices.h"
#include "console/NeedlingServices.h"
#include "console/SafetyServices.h"
#include "console/StoreSafetyAudit.h"
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

QStringList revokeApprovalsTheSettingsWithdraw(const safety::ClinicSettings& before, const safety::ClinicSettings& after,
                                               ui::NeedlingModel& needling, StoreSafetyAudit& audit) {
  QStringList revoked;
  if (before.researchAmplifierAllowed && !after.researchAmplifierAllowed) {
    const QString why = QStringLiteral("the clinic's research setting (research_amplifier_allowed) was turned off");
    if (const auto approval = needling.revokeSupervisorApproval(QStringLiteral("AMP-RESEARCH"), why)) {
      audit.supervisorEvent(QStringLiteral("safety.approval-revoked"),
                            {{"rule_id", approval->ruleId},
                             {"supervisor", approval->supervisor},
                             {"approval_reason", approval->reason},
                             {"approval_audit_sequence", static_cast<double>(approval->auditSequence)},
                             {"scope", approval->scope},
                             {"why", why},
                             {"settings_version_before", QString::fromStdString(before.settingsVersion)},
                             {"settings_version_after", QString::fromStdString(after.settingsVersion)}});
      core::logger(core::subsystem::kSafety)->warn("AMP-RESEARCH approval by {} revoked: {}",
                                                   approval->supervisor.toStdString(), why.toStdString());
      revoked << approval->ruleId;
    }
  }
  return revoked;
}

void SettingsServices::apply() {
  const auto& configuration = model_.configuration();
  for (const auto& problem : configuration.problems)
    core::logger(core::subsystem::kSafety)->warn("{}", problem);
  // All evaluators or none: settings the laser would refuse must not reach needling alone.
  try {
    safety::validate(configuration.settings);
  } catch (const std::exception& e) {
    core::logger(core::subsystem::kSafety)->error("clinic settings {} not applied anywhere: {}",
                                                  configuration.settings.settingsVersion, e.what());
    return;
  }
  // Before the needling evaluator changes: an approval the change withdraws ends, audited.
  revokeApprovalsTheSettingsWithdraw(applied_, configuration.settings, needling_.needling(), safety_.audit());
  // All three evaluators live on this (GUI) thread; the supervisor thread reads none of them.
  safety_.applyClinicSettings(configuration.settings);
  needling_.applyClinicSettings(configuration.settings);
  clinical_.applyClinicSettings(configuration.settings);
  applied_ = configuration.settings;
}

}  // namespace tautband::console
