#include "cli/commands/ReportCommand.h"

#include "cli/commands/AuditCommandSupport.h"
#include "report/AuditReportPdf.h"
#include "report/SessionReader.h"
#include "report/SessionExport.h"
#include "report/SessionReportPdf.h"
#include "store/AuditExport.h"
#include "store/AuditReader.h"
#include "store/AuditVerifier.h"

#include <QDateTime>
#include <QFileInfo>
#include <QGuiApplication>

namespace tautband::cli {
namespace {

const QStringList kFormats{QStringLiteral("pdf"),  QStringLiteral("handout"), QStringLiteral("json"), QStringLiteral("fhir"),
                           QStringLiteral("edf"),  QStringLiteral("csv"),     QStringLiteral("audit")};

std::int64_t nowUs() { return QDateTime::currentMSecsSinceEpoch() * 1000; }

}  // namespace

CommandSpec ReportCommand::spec() const {
  return CommandSpec{
      .path = {QStringLiteral("report")},
      .summary = QStringLiteral("Export a session: PDF note, patient handout, JSON, FHIR R4, EDF+, CSV; or the audit PDF."),
      .description = QStringLiteral(
          "--format pdf (signed session note), handout (patient handout; template <data dir>/templates/handout.txt "
          "overrides the built-in one), json (docs/EXPORT.md schema), fhir (R4 Bundle), edf (EDF+ of the raw EMG with "
          "annotations), csv (FILE samples + FILE.events.csv), audit (the manager's audit trail PDF; --session narrows "
          "it, --from/--to bound it). EMG for edf/csv/thumbnails: the session's stored recording, or --emg FILE "
          "(console recording, WFDB or CSV) whose first sample is at --emg-start seconds on the session clock. An "
          "existing --out is refused (exit 2) unless --force. The export is recorded in the audit trail."),
      .options = {storeopts::db(), storeopts::user(),
                  QCommandLineOption(QStringLiteral("session"), QStringLiteral("Session id or 'latest'."), QStringLiteral("ID")),
                  QCommandLineOption(QStringLiteral("format"), QStringLiteral("pdf|handout|json|fhir|edf|csv|audit."),
                                     QStringLiteral("FORMAT")),
                  QCommandLineOption(QStringLiteral("out"), QStringLiteral("Output file."), QStringLiteral("FILE")),
                  QCommandLineOption(QStringLiteral("paper"), QStringLiteral("a4 or letter (default: clinic setting report.paper, else a4)."),
                                     QStringLiteral("SIZE")),
                  QCommandLineOption(QStringLiteral("force"), QStringLiteral("Overwrite an existing output file.")),
                  QCommandLineOption(QStringLiteral("emg"), QStringLiteral("EMG recording to export or draw (console file, WFDB, CSV)."),
                                     QStringLiteral("FILE")),
                  QCommandLineOption(QStringLiteral("emg-start"), QStringLiteral("Session clock (s) of the --emg file's first sample (default 0; console files carry their own)."),
                                     QStringLiteral("S")),
                  QCommandLineOption(QStringLiteral("from"), QStringLiteral("audit: first UTC date/time."), QStringLiteral("WHEN")),
                  QCommandLineOption(QStringLiteral("to"), QStringLiteral("audit: last UTC date/time."), QStringLiteral("WHEN"))},
      .positionals = {},
  };
}

int ReportCommand::run(const QCommandLineParser& args, CommandContext& context) {
  const QString format = args.value(QStringLiteral("format"));
  if (!kFormats.contains(format)) {
    throw CommandError(kExitUsage, QStringLiteral("--format must be one of %1").arg(kFormats.join(QLatin1Char('|'))));
  }
  const QString out = args.value(QStringLiteral("out"));
  if (out.isEmpty()) throw CommandError(kExitUsage, QStringLiteral("--out FILE is required"));
  const bool force = args.isSet(QStringLiteral("force"));
  for (const QString& path : {out, format == QLatin1String("csv") ? out + QStringLiteral(".events.csv") : QString()}) {
    if (!path.isEmpty() && QFileInfo::exists(path) && !force) {
      throw CommandError(kExitUsage, QStringLiteral("%1 exists; use --force to overwrite it").arg(path));
    }
  }
  const bool pdf = format == QLatin1String("pdf") || format == QLatin1String("handout") || format == QLatin1String("audit");
  if (pdf && !qobject_cast<QGuiApplication*>(QCoreApplication::instance())) {
    throw CommandError(kExitUsage, QStringLiteral("PDF output needs a QGuiApplication (run through tautband-cli)"));
  }
  const QString sessionArg = args.value(QStringLiteral("session"));
  if (sessionArg.isEmpty() && format != QLatin1String("audit")) {
    throw CommandError(kExitUsage, QStringLiteral("--session ID|latest is required"));
  }
  std::optional<double> emgStart;
  if (args.isSet(QStringLiteral("emg-start"))) {
    bool ok = false;
    emgStart = args.value(QStringLiteral("emg-start")).toDouble(&ok);
    if (!ok) throw CommandError(kExitUsage, QStringLiteral("--emg-start must be a number of seconds"));
  }

  const store::StoreSettings settings = storeSettingsFrom(args, context);
  auto store = openStore(settings);
  const store::Actor actor = resolveActor(args, context, *store);
  report::SessionReader reader(store->writer());
  std::optional<qint64> sessionId;
  try {
    if (sessionArg == QLatin1String("latest")) {
      sessionId = reader.latestId();
    } else if (!sessionArg.isEmpty()) {
      bool ok = false;
      sessionId = sessionArg.toLongLong(&ok);
      if (!ok || *sessionId <= 0) throw CommandError(kExitUsage, QStringLiteral("--session must be an id or 'latest'"));
    }
  } catch (const report::ReportError& e) {
    throw CommandError(kExitUsage, QString::fromStdString(e.what()));
  }

  report::PdfOptions options;
  options.generatedUs = nowUs();
  options.generatedBy = actor.login;
  QJsonObject result{{"format", format}, {"out", out}};
  QString text;
  try {
    if (format == QLatin1String("audit")) {
      report::AuditReportFilter filter;
      if (args.isSet(QStringLiteral("from"))) filter.fromUs = store::parseUtcBound(args.value(QStringLiteral("from")), false);
      if (args.isSet(QStringLiteral("to"))) filter.toUs = store::parseUtcBound(args.value(QStringLiteral("to")), true);
      filter.sessionId = sessionId;
      report::AuditReportData data = report::readAuditForReport(store->writer(), actor, filter);
      options.pageSize = report::pageSizeFor(args.value(QStringLiteral("paper")), QString());
      store->writer().checkpoint(QStringLiteral("audit-report")).get();
      store::VerifyOptions verify;
      verify.keys[store->key().consoleId()] = store->key().publicKey();
      verify.headFile = settings.headFilePath();
      auto auditReader = store::AuditReader::open(settings);
      const store::VerifyReport report = store::verifyAuditTrail(*auditReader, verify);
      data.verified = true;
      data.intact = report.intact();
      data.verifySummary = report.intact()
                               ? QStringLiteral("intact — %1 chain(s), hashes, links and the latest signed checkpoint verified.")
                                     .arg(report.chains.size())
                               : QStringLiteral("TAMPERED — first bad entry #%1 (%2): %3")
                                     .arg(report.firstProblem->sequence)
                                     .arg(store::tamperKindName(report.firstProblem->kind), report.firstProblem->message);
      data.verifyWarnings = report.warnings;
      const int pages = report::writeAuditReport(data, options, out);
      result["pages"] = pages;
      result["entries"] = static_cast<qint64>(data.entries.size());
      result["intact"] = data.intact;
      text = QStringLiteral("Audit report (%1 entries, %2 pages, chain %3) written to %4")
                 .arg(data.entries.size())
                 .arg(pages)
                 .arg(data.intact ? QStringLiteral("intact") : QStringLiteral("TAMPERED"), out);
      context.print(result, text);
      return kExitOk;
    }

    // The same export the console's Summary page runs (app/report/SessionExport).
    report::SessionExportRequest request;
    request.kind = *report::exportKindFromName(format);
    request.out = out;
    request.paper = args.value(QStringLiteral("paper"));
    if (request.kind == report::ExportKind::Handout) request.dataDir = context.dataDirectory();
    request.emgPath = args.value(QStringLiteral("emg"));
    request.emgStartS = emgStart;
    request.nowUs = nowUs();
    const report::SessionExportResult exported = report::exportSession(reader, actor, *sessionId, request);
    for (auto it = exported.json.begin(); it != exported.json.end(); ++it) result[it.key()] = it.value();
    text = exported.text;
  } catch (const CommandError&) {
    throw;
  } catch (const std::exception& e) {
    QString message = QString::fromStdString(e.what());
    if (message.endsWith(QLatin1String("has no readable EMG recording"))) message += QStringLiteral("; pass --emg FILE");
    throw CommandError(kExitUsage, message);
  }
  context.print(result, text);
  return kExitOk;
}

}  // namespace tautband::cli
