#include "report/SessionExport.h"

#include "report/FhirExport.h"
#include "report/HandoutPdf.h"
#include "report/JsonExport.h"
#include "report/SessionReportPdf.h"
#include "report/SignalExport.h"

#include <QDateTime>
#include <QFileInfo>
#include <QSaveFile>

#include <array>

namespace tautband::report {
namespace {

struct KindInfo {
  ExportKind kind;
  const char* name;
  const char* fileSuffix;  // after "session-<id>-"
};

constexpr std::array<KindInfo, 6> kKinds{{{ExportKind::Pdf, "pdf", "note.pdf"},
                                          {ExportKind::Handout, "handout", "handout.pdf"},
                                          {ExportKind::Json, "json", "session.json"},
                                          {ExportKind::Fhir, "fhir", "fhir.json"},
                                          {ExportKind::Edf, "edf", "emg.edf"},
                                          {ExportKind::Csv, "csv", "emg.csv"}}};

const KindInfo& info(ExportKind kind) {
  for (const auto& k : kKinds)
    if (k.kind == kind) return k;
  return kKinds[0];
}

void writeBytes(const QString& path, const QByteArray& bytes) {
  QSaveFile f(path);
  if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
    throw ReportError(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()).toStdString());
  }
}

}  // namespace

QString exportKindName(ExportKind kind) { return QString::fromLatin1(info(kind).name); }

std::optional<ExportKind> exportKindFromName(const QString& name) {
  for (const auto& k : kKinds)
    if (name == QLatin1String(k.name)) return k.kind;
  return std::nullopt;
}

QStringList exportKindNames() {
  QStringList names;
  for (const auto& k : kKinds) names << QString::fromLatin1(k.name);
  return names;
}

bool exportNeedsGui(ExportKind kind) { return kind == ExportKind::Pdf || kind == ExportKind::Handout; }

QString exportFileName(qint64 sessionId, ExportKind kind) {
  return QStringLiteral("session-%1-%2").arg(sessionId).arg(QLatin1String(info(kind).fileSuffix));
}

QStringList exportOutputs(ExportKind kind, const QString& out) {
  QStringList paths{out};
  if (kind == ExportKind::Csv) paths << out + QStringLiteral(".events.csv");
  return paths;
}

QString nextFreeExportPath(ExportKind kind, const QString& out) {
  auto free = [kind](const QString& candidate) {
    for (const QString& p : exportOutputs(kind, candidate))
      if (QFileInfo::exists(p)) return false;
    return true;
  };
  if (free(out)) return out;
  const QFileInfo fi(out);
  const QString dir = fi.path();
  const QString base = fi.completeBaseName();  // "session-12-note" (or "session-12-fhir" of .json)
  const QString suffix = fi.suffix();
  for (int n = 2; n < 10'000; ++n) {
    const QString candidate = dir + QLatin1Char('/') + base + QLatin1Char('-') + QString::number(n) +
                              (suffix.isEmpty() ? QString() : QLatin1Char('.') + suffix);
    if (free(candidate)) return candidate;
  }
  throw ReportError("no free file name next to " + out.toStdString());
}

SessionExportResult exportSession(SessionReader& reader, const store::Actor& actor, qint64 sessionId,
                                  const SessionExportRequest& request) {
  auto progress = [&](double fraction, const QString& what) {
    if (request.progress) request.progress(fraction, what);
  };
  const QString format = exportKindName(request.kind);
  const QString& out = request.out;
  const std::int64_t nowUs = request.nowUs != 0 ? request.nowUs : QDateTime::currentMSecsSinceEpoch() * 1000;

  progress(0.05, QStringLiteral("reading session %1").arg(sessionId));
  SessionRecord record = reader.read(actor, sessionId, format);
  SessionExportResult result;
  result.sessionId = record.id;
  result.json = QJsonObject{{"format", format}, {"out", out}, {"session", record.id}};

  try {
    PdfOptions options;
    options.generatedUs = nowUs;
    options.generatedBy = actor.login;
    options.pageSize = pageSizeFor(request.paper, record.clinic.paper);
    Recordings recordings;
    // An explicit EMG file: drawn in the PDF and exported by edf/csv.
    std::optional<emg::EmgRecording> explicitEmg;
    std::int64_t explicitStart = 0;
    if (!request.emgPath.isEmpty()) {
      progress(0.15, QStringLiteral("reading the EMG recording"));
      try {
        explicitEmg = loadRecording(request.emgPath.toStdString(), &explicitStart);
      } catch (const std::exception& e) {
        throw ReportError("cannot read --emg: " + std::string(e.what()));
      }
      if (request.emgStartS) explicitStart = static_cast<std::int64_t>(*request.emgStartS * 1e6);
      RecordingInfo emgInfo;
      emgInfo.id = -1;
      emgInfo.path = request.emgPath;
      emgInfo.sampleRateHz = explicitEmg->sampleRateHz;
      emgInfo.channels = static_cast<int>(explicitEmg->channels);
      emgInfo.startedClockUs = explicitStart;
      record.recordings.push_back(emgInfo);
      recordings.add(emgInfo, *explicitEmg);
    }
    options.recordings = &recordings;

    progress(0.3, QStringLiteral("writing %1").arg(QFileInfo(out).fileName()));
    switch (request.kind) {
      case ExportKind::Pdf: {
        const int pages = writeSessionReport(record, options, out);
        result.json["pages"] = pages;
        result.text = QStringLiteral("Session %1 report (%2 pages) written to %3").arg(record.id).arg(pages).arg(out);
        break;
      }
      case ExportKind::Handout: {
        QString source;
        const QString tmpl = handoutTemplate(request.dataDir, &source);
        const int pages = writeHandout(record, options, tmpl, out);
        result.json["pages"] = pages;
        result.json["template"] = source;
        result.text =
            QStringLiteral("Patient handout for session %1 (%2 pages) written to %3").arg(record.id).arg(pages).arg(out);
        break;
      }
      case ExportKind::Json: {
        const QByteArray bytes = sessionJsonBytes(record, nowUs);
        writeBytes(out, bytes);
        result.json["bytes"] = bytes.size();
        result.text = QStringLiteral("Session %1 JSON written to %2").arg(record.id).arg(out);
        break;
      }
      case ExportKind::Fhir: {
        const QByteArray bytes = sessionFhirBytes(record, nowUs);
        writeBytes(out, bytes);
        result.json["bytes"] = bytes.size();
        result.text = QStringLiteral("Session %1 FHIR R4 bundle written to %2").arg(record.id).arg(out);
        break;
      }
      case ExportKind::Edf:
      case ExportKind::Csv: {
        SignalSource source;
        if (explicitEmg) {
          source.recording = &*explicitEmg;
          source.firstFrameClockUs = explicitStart;
        } else {
          progress(0.15, QStringLiteral("reading the EMG recording"));
          for (const auto& rec : record.recordings) {
            if (const emg::EmgRecording* loaded = recordings.load(rec)) {
              source.recording = loaded;
              source.firstFrameClockUs = rec.startedClockUs;
              break;
            }
          }
        }
        for (const auto& d : record.devices) {
          if (d.kind == QLatin1String("amplifier")) source.equipment = d.vendor + QLatin1Char(' ') + d.model;
        }
        if (!source.recording) {
          throw ReportError(QStringLiteral("session %1 has no readable EMG recording").arg(record.id).toStdString());
        }
        const auto events = sessionEvents(record);
        if (request.kind == ExportKind::Edf) {
          const EdfResult edf = writeEdfPlus(out, record, source, events);
          result.json["data_records"] = static_cast<qint64>(edf.dataRecords);
          result.json["annotations"] = edf.annotations;
          result.text = QStringLiteral("Session %1 EDF+ (%2 s records x %3, %4 annotations) written to %5")
                            .arg(record.id)
                            .arg(edf.recordSeconds)
                            .arg(edf.dataRecords)
                            .arg(edf.annotations)
                            .arg(out);
        } else {
          const QString eventsPath = writeSignalCsv(out, source, events);
          result.json["events"] = eventsPath;
          result.text = QStringLiteral("Session %1 CSV written to %2 and %3").arg(record.id).arg(out, eventsPath);
        }
        break;
      }
    }
  } catch (const ReportError&) {
    throw;
  } catch (const std::exception& e) {
    throw ReportError(e.what());
  }
  result.written = exportOutputs(request.kind, out);
  progress(1.0, QStringLiteral("done"));
  return result;
}

}  // namespace tautband::report
