#pragma once

#include "report/SessionRecord.h"

#include <QByteArray>
#include <QJsonObject>

namespace tautband::report {

// The whole session as JSON, format "tautband-session-export" version 1. The
// JSON Schema is app/report/schema/session-export-v1.schema.json (documented in
// docs/EXPORT.md); a change that breaks readers is version 2.
inline constexpr int kSessionExportVersion = 1;
QJsonObject sessionToJson(const SessionRecord& record, std::int64_t exportedUs);
QByteArray sessionJsonBytes(const SessionRecord& record, std::int64_t exportedUs);

}  // namespace tautband::report
