#pragma once

#include "store/Access.h"
#include "store/AuditVerifier.h"
#include "store/StoreWriter.h"

#include <QString>
#include <QStringList>

#include <future>
#include <optional>
#include <vector>

namespace tautband::store {

// One row for the manager's audit screen.
struct AuditRow {
  QString consoleId;
  qint64 sequence = 0;
  qint64 utcUs = 0;
  std::optional<qint64> sessionClockUs;
  QString actor, role, action, subject, details;
};

struct AuditQuery {
  std::optional<qint64> fromUs, toUs;  // inclusive UTC microseconds
  QString actor;                       // exact login; empty = all
  QStringList actionPrefixes;          // e.g. {"safety.refused", "supervisor.", "fault."}; empty = all
  QString subject;                     // exact subject, e.g. "session:12"; empty = all
  int limit = 500;                     // newest first
  int offset = 0;
};

// The audit screen's reads, through the store thread (never the GUI thread).
// Needs Action::ViewAudit; the viewing itself is audited ("audit.viewed").
std::future<std::vector<AuditRow>> queryAudit(StoreWriter& writer, Actor by, AuditQuery query);

// The chain badge: verifies on a background thread with its own read-only
// connection, so neither the GUI nor the writer waits. The future may be dropped.
std::future<VerifyReport> verifyInBackground(StoreSettings settings, VerifyOptions options);

}  // namespace tautband::store
