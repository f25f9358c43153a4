#pragma once

#include "report/SessionRecord.h"
#include "report/SessionReportPdf.h"
#include "store/Access.h"
#include "store/StoreWriter.h"

#include <optional>

namespace tautband::report {

struct AuditReportFilter {
  std::optional<std::int64_t> fromUs, toUs;  // UTC, inclusive
  std::optional<qint64> sessionId;           // only entries about this session
  QString actor;                             // only this login
};

// What the manager's audit PDF shows: entries in chain order, the latest
// checkpoint, and the verification outcome (run by the caller with the
// console's public key: docs/AUDIT.md "What verify detects").
struct AuditReportData {
  ClinicInfo clinic;
  QString consoleId;
  std::vector<AuditItem> entries;
  std::optional<CheckpointInfo> checkpoint;
  bool verified = false;           // a verification ran
  bool intact = false;
  QString verifySummary;           // one paragraph (first bad sequence and kind, or "intact")
  QStringList verifyWarnings;
  QString filterText;
};

// Reads the entries through the writer thread; audited as "audit.exported" (format pdf).
AuditReportData readAuditForReport(store::StoreWriter& writer, const store::Actor& by, const AuditReportFilter& filter);
int writeAuditReport(const AuditReportData& data, const PdfOptions& options, const QString& path);

}  // namespace tautband::report
