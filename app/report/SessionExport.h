#pragma once

#include "report/SessionReader.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <filesystem>
#include <functional>
#include <optional>

namespace tautband::report {

// The session exports one person can ask for, from the CLI (`report --format`)
// or the console's Summary page. Both call exportSession(): one implementation
// of "read the session (audited), render, write", so the two can never differ.
enum class ExportKind { Pdf, Handout, Json, Fhir, Edf, Csv };

QString exportKindName(ExportKind kind);                         // "pdf", "handout", "json", "fhir", "edf", "csv"
std::optional<ExportKind> exportKindFromName(const QString& name);
QStringList exportKindNames();
bool exportNeedsGui(ExportKind kind);  // PDFs need a QGuiApplication (fonts)

// "session-<id>-<what>.<ext>", e.g. session-12-note.pdf, session-12-fhir.json.
QString exportFileName(qint64 sessionId, ExportKind kind);
// Every file an export to `out` writes: `out`, plus `out.events.csv` for CSV.
QStringList exportOutputs(ExportKind kind, const QString& out);
// The first of `out`, `<base>-2.<ext>`, `<base>-3.<ext>`, ... none of whose
// outputs exist ("keep both": never overwrite).
QString nextFreeExportPath(ExportKind kind, const QString& out);

struct SessionExportRequest {
  ExportKind kind = ExportKind::Pdf;
  QString out;                      // file to write (existing files are NOT checked here)
  QString paper;                    // "a4" | "letter" | empty = clinic setting
  std::filesystem::path dataDir;    // for the clinic's handout template
  QString emgPath;                  // optional explicit EMG recording (console file, WFDB, CSV)
  std::optional<double> emgStartS;  // its first sample on the session clock
  std::int64_t nowUs = 0;           // 0 = now
  // Called (on the calling thread) as the export moves on: 0..1 and what it does.
  std::function<void(double, const QString&)> progress;
};

struct SessionExportResult {
  qint64 sessionId = 0;
  QStringList written;  // paths, in order
  QJsonObject json;     // the CLI's --json result fields (format, out, pages|bytes|...)
  QString text;         // one line for a person: what was written where
};

// Reads the session through `reader` as `actor` (audited "session.exported"
// with the format as purpose), renders and writes the files. Blocks: call it
// from a worker thread in a GUI. Throws ReportError with one line for the user.
SessionExportResult exportSession(SessionReader& reader, const store::Actor& actor, qint64 sessionId,
                                  const SessionExportRequest& request);

}  // namespace tautband::report
