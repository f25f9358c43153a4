#include "console/StoreSafetyAudit.h"

#include "safety/AuditedSafety.h"

#include <QStringList>

namespace tautband::console {

QString StoreSafetyAudit::actionFor(safety::SafetyAuditRecord::Kind kind) {
  switch (kind) {
    case safety::SafetyAuditRecord::Kind::Evaluation: return QStringLiteral("safety.evaluated");
    case safety::SafetyAuditRecord::Kind::Refusal: return QStringLiteral("safety.refused");
    case safety::SafetyAuditRecord::Kind::Acknowledgement: return QStringLiteral("safety.acknowledged");
    case safety::SafetyAuditRecord::Kind::SupervisorApproval: return QStringLiteral("safety.approval-applied");
  }
  return QStringLiteral("safety.unknown");
}

store::AuditEntryDraft StoreSafetyAudit::draft(QString action, QJsonObject details) const {
  const auto now = context_.snapshot();
  QString subject = QStringLiteral("console");
  if (now.sessionId) {
    subject = QStringLiteral("session:%1").arg(*now.sessionId);
    details.insert(QStringLiteral("session_id"), static_cast<double>(*now.sessionId));
  }
  if (now.patientId) details.insert(QStringLiteral("patient_id"), static_cast<double>(*now.patientId));
  return store::AuditEntryDraft{now.actor.login, now.actor.role, std::move(action), subject, std::move(details),
                                clock_.nowUs()};
}

void StoreSafetyAudit::record(const safety::SafetyAuditRecord& entry) {
  if (!trail_.healthy()) {
    // Never act on a decision the manager could not see later.
    throw safety::SafetyActionError("the audit trail is not recording (" + trail_.lastFailure().toStdString() +
                                    "): no safety decision can be made");
  }
  trail_.post(draft(actionFor(entry.kind), entry.toJson()));
}

void StoreSafetyAudit::supervisorEvent(const QString& action, const QJsonObject& details) {
  trail_.post(draft(action, details));
}

}  // namespace tautband::console
