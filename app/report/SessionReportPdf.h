#pragma once

#include "report/Recordings.h"
#include "report/SessionRecord.h"

#include "anatomy/Atlas.h"

#include <QByteArray>
#include <QPageSize>

namespace tautband::report {

// What every PDF writer needs besides the record.
struct PdfOptions {
  QPageSize pageSize = QPageSize(QPageSize::A4);
  const anatomy::Atlas* atlas = nullptr;  // null = Atlas::builtin()
  Recordings* recordings = nullptr;       // null = thumbnails say "no recording"
  std::int64_t generatedUs = 0;           // 0 = now
  QString generatedBy;                    // login of whoever exported it
};

// "a4" | "letter" (any case); empty -> the clinic's setting, then A4. Throws
// std::invalid_argument for anything else.
QPageSize pageSizeFor(const QString& requested, const QString& clinicDefault);

// The signed session note (issue 9 "Session report PDF"). Returns the page count.
int writeSessionReport(const SessionRecord& record, const PdfOptions& options, const QString& path);
int sessionReportBytes(const SessionRecord& record, const PdfOptions& options, QByteArray& out);

}  // namespace tautband::report
