#include "cli/commands/ReportCommand.h"

#include "cli/commands/AuditCommandSupport.h"
#include "report/AuditReportPdf.h"
#include "report/FhirExport.h"
#include "report/HandoutPdf.h"
#include "report/JsonExport.h"
#include "report/SessionReader.h"
#include "report/SessionReportPdf.h"
#include "report/SignalExport.h"
#include "store/AuditExport.h"
#include "store/AuditReader.h"
#include "store/AuditVerifier.h"

#include <QDateTime>
#include <QFileInfo>
#include <QGuiApplication>
#include <QSaveFile>

namespace tautband::cli {
namespace {

const QStringList kFormats{QStringLiteral("pdf"),  QStringLiteral("handout"), QStringLiteral("json"), QStringLiteral("fhir"),
                           QStringLiteral("edf"),  QStringLiteral("csv"),     QStringLiteral("audit")};

void writeBytes(const QString& path, const QByteArray& bytes) {
  QSaveFile f(path);
  if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
    throw CommandError(kExitUsage, QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
  }
}

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

    report::SessionRecord record = reader.read(actor, *sessionId, format);
    result["session"] = record.id;
    options.pageSize = report::pageSizeFor(args.value(QStringLiteral("paper")), record.clinic.paper);
    report::Recordings recordings;
    // An explicit --emg file: drawn in the PDF and exported by edf/csv.
    std::optional<emg::EmgRecording> explicitEmg;
    std::int64_t explicitStart = 0;
    if (args.isSet(QStringLiteral("emg"))) {
      try {
        explicitEmg = report::loadRecording(args.value(QStringLiteral("emg")).toStdString(), &explicitStart);
      } catch (const std::exception& e) {
        throw CommandError(kExitUsage, QStringLiteral("cannot read --emg: %1").arg(QString::fromStdString(e.what())));
      }
      if (emgStart) explicitStart = static_cast<std::int64_t>(*emgStart * 1e6);
      report::RecordingInfo info;
      info.id = -1;
      info.path = args.value(QStringLiteral("emg"));
      info.sampleRateHz = explicitEmg->sampleRateHz;
      info.channels = static_cast<int>(explicitEmg->channels);
      info.startedClockUs = explicitStart;
      record.recordings.push_back(info);
      recordings.add(info, *explicitEmg);
    }
    options.recordings = &recordings;

    if (format == QLatin1String("pdf")) {
      const int pages = report::writeSessionReport(record, options, out);
      result["pages"] = pages;
      text = QStringLiteral("Session %1 report (%2 pages) written to %3").arg(record.id).arg(pages).arg(out);
    } else if (format == QLatin1String("handout")) {
      QString source;
      const QString tmpl = report::handoutTemplate(context.dataDirectory(), &source);
      const int pages = report::writeHandout(record, options, tmpl, out);
      result["pages"] = pages;
      result["template"] = source;
      text = QStringLiteral("Patient handout for session %1 (%2 pages) written to %3").arg(record.id).arg(pages).arg(out);
    } else if (format == QLatin1String("json")) {
      const QByteArray bytes = report::sessionJsonBytes(record, nowUs());
      writeBytes(out, bytes);
      result["bytes"] = bytes.size();
      text = QStringLiteral("Session %1 JSON written to %2").arg(record.id).arg(out);
    } else if (format == QLatin1String("fhir")) {
      const QByteArray bytes = report::sessionFhirBytes(record, nowUs());
      writeBytes(out, bytes);
      result["bytes"] = bytes.size();
      text = QStringLiteral("Session %1 FHIR R4 bundle written to %2").arg(record.id).arg(out);
    } else {
      report::SignalSource source;
      if (explicitEmg) {
        source.recording = &*explicitEmg;
        source.firstFrameClockUs = explicitStart;
      } else {
        for (const auto& info : record.recordings) {
          if (const emg::EmgRecording* rec = recordings.load(info)) {
            source.recording = rec;
            source.firstFrameClockUs = info.startedClockUs;
            break;
          }
        }
      }
      for (const auto& d : record.devices) {
        if (d.kind == QLatin1String("amplifier")) source.equipment = d.vendor + QLatin1Char(' ') + d.model;
      }
      if (!source.recording) {
        throw CommandError(kExitUsage, QStringLiteral("session %1 has no readable EMG recording; pass --emg FILE").arg(record.id));
      }
      const auto events = report::sessionEvents(record);
      if (format == QLatin1String("edf")) {
        const report::EdfResult edf = report::writeEdfPlus(out, record, source, events);
        result["data_records"] = static_cast<qint64>(edf.dataRecords);
        result["annotations"] = edf.annotations;
        text = QStringLiteral("Session %1 EDF+ (%2 s records x %3, %4 annotations) written to %5")
                   .arg(record.id)
                   .arg(edf.recordSeconds)
                   .arg(edf.dataRecords)
                   .arg(edf.annotations)
                   .arg(out);
      } else {
        const QString eventsPath = report::writeSignalCsv(out, source, events);
        result["events"] = eventsPath;
        text = QStringLiteral("Session %1 CSV written to %2 and %3").arg(record.id).arg(out, eventsPath);
      }
    }
  } catch (const CommandError&) {
    throw;
  } catch (const std::exception& e) {
    throw CommandError(kExitUsage, QString::fromStdString(e.what()));
  }
  context.print(result, text);
  return kExitOk;
}

}  // namespace tautband::cli
