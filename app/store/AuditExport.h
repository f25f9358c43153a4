#pragma once

#include "store/StoreSettings.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>

namespace tautband::store {

enum class ExportFormat { Csv, Json };

struct AuditExportFilter {
  std::optional<std::int64_t> fromUs;  // inclusive, UTC microseconds
  std::optional<std::int64_t> toUs;    // inclusive
  QString actor;                       // empty = everyone
};

struct AuditExportResult {
  QByteArray bytes;
  std::size_t entries = 0;
};

// CSV (RFC 4180 quoting; formula-leading cells prefixed with ' so a spreadsheet
// never executes them) or JSON array. Hashes are hex. Throws StoreError.
AuditExportResult exportAudit(const StoreSettings& settings, const AuditExportFilter& filter, ExportFormat format);

// "2026-01-31" or an ISO date-time (UTC unless it has an offset). A date as an
// upper bound means the end of that day. Throws StoreError on anything else.
std::int64_t parseUtcBound(const QString& text, bool upper);

}  // namespace tautband::store
