#pragma once

#include "console/AuditContext.h"
#include "core/SessionClock.h"
#include "safety/SafetyAuditSink.h"
#include "store/AuditForwarder.h"

#include <QJsonObject>
#include <QString>

namespace tautband::console {

// The safety side's audit records, into the store's hash chain (through the forwarder, so
// neither the GUI nor the supervisor thread waits on disk), tagged with the acting user,
// the session and the session clock.
//
// Fail-safe: once an audit entry could not be made durable, record() throws, so the rules
// engine's callers treat every later decision as not made (AuditedSafety lets the
// exception through; the laser page shows ERROR and refuses, the needling page refuses the
// insertion). The forwarder's failure handler has already turned emission off.
class StoreSafetyAudit : public safety::SafetyAuditSink {
 public:
  StoreSafetyAudit(store::AuditForwarder& trail, const AuditContext& context, const core::SessionClock& clock)
      : trail_(trail), context_(context), clock_(clock) {}

  void record(const safety::SafetyAuditRecord& entry) override;

  // The supervisor's events (laser.emission_on, laser.fault, ...): any thread, never blocks.
  void supervisorEvent(const QString& action, const QJsonObject& details);

  // The action name a manager filters on (docs/AUDIT.md "Actions").
  static QString actionFor(safety::SafetyAuditRecord::Kind kind);

 private:
  store::AuditEntryDraft draft(QString action, QJsonObject details) const;

  store::AuditForwarder& trail_;
  const AuditContext& context_;
  const core::SessionClock& clock_;
};

}  // namespace tautband::console
