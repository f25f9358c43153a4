#pragma once

#include "report/SessionRecord.h"
#include "report/SessionReportPdf.h"

#include <filesystem>

namespace tautband::report {

// The patient handout: plain language, large type. The text is a template the
// clinic may edit: `<dataDir>/templates/handout.txt` overrides the default
// shipped in the binary (app/report/templates/handout.txt). Template format
// (docs/EXPORT.md): "# " heading, "- " bullet, "! " warning box, other lines
// paragraphs; {{name}} placeholders; lines between {{#thoracic}} and
// {{/thoracic}} only when the thorax was needled. Values are inserted as plain
// text (never markup).
QString handoutTemplate(const std::filesystem::path& dataDir, QString* source = nullptr);
int writeHandout(const SessionRecord& record, const PdfOptions& options, const QString& templateText,
                 const QString& path);
int handoutBytes(const SessionRecord& record, const PdfOptions& options, const QString& templateText, QByteArray& out);

// The stretch for a treated muscle, in plain words (atlas muscle ids).
QString stretchFor(const QString& muscle);

}  // namespace tautband::report
