// Report benchmarks (BRIEF §7 "PDF of a 60-minute session < 500 ms"): a
// 60-minute session with 20 sites, 200 LTRs (thumbnails from a 2 kHz
// recording), 40 laser doses and a few e-stim runs, built in memory so only
// rendering is timed. Baseline in the same run: an empty one-page PDF through
// the same writer.

#include "BenchReport.h"

#include "report/FhirExport.h"
#include "report/JsonExport.h"
#include "report/PdfCanvas.h"
#include "report/SessionReportPdf.h"
#include "report/SignalExport.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QTemporaryDir>

#include <cmath>
#include <random>

using namespace tautband;
using namespace tautband::report;

namespace {

constexpr std::int64_t kMinute = 60'000'000;

SessionRecord bigSession() {
  SessionRecord r;
  r.consoleId = QStringLiteral("0123456789abcdef");
  r.id = 42;
  r.state = QStringLiteral("signed");
  r.startedUs = 1'700'000'000'000'000;
  r.endedUs = r.startedUs + 60 * kMinute;
  r.durationClockUs = 60 * kMinute;
  r.clinic.name = QStringLiteral("Bench Clinic");
  r.patient = PatientInfo{1, QStringLiteral("B-1"), QStringLiteral("Bench"), QStringLiteral("Patient"), QStringLiteral("female"),
                          {}, {}, QDate(1980, 1, 1), 170.0, 65.0};
  r.therapist = UserInfo{2, QStringLiteral("therapist"), QStringLiteral("Alex Novak (PT)"), QStringLiteral("therapist")};
  r.users[2] = r.therapist;
  r.users[3] = UserInfo{3, QStringLiteral("manager"), QStringLiteral("Morgan Reyes"), QStringLiteral("manager")};
  r.screening = ScreeningInfo{QJsonObject{{"pacemaker", false}, {"anticoagulants", false}, {"lung_disease", false}},
                              QStringLiteral("screening-v1"), r.startedUs, 2};
  r.consents.push_back(ConsentInfo{QStringLiteral("dry-needling+laser+thoracic"), QStringLiteral("consent-v1"),
                                   QStringLiteral("patient"), {}, true, r.startedUs, 2});
  const char* muscles[] = {"upper-trapezius", "levator-scapulae", "rhomboids", "infraspinatus", "quadratus-lumborum"};
  for (int i = 0; i < 20; ++i) {
    SiteInfo s;
    s.id = 100 + i;
    s.number = i + 1;
    s.muscle = QString::fromLatin1(muscles[i % 5]);
    s.side = i % 2 ? QStringLiteral("left") : QStringLiteral("right");
    s.zone = i % 5 < 3 ? QStringLiteral("lung-field") : QString();
    r.sites.push_back(s);
    r.needles.push_back(NeedleInfo{500 + i, s.id, 30, 0.25, QStringLiteral("LOT-%1").arg(i), QStringLiteral("pincer"),
                                   QStringLiteral("away-from-thorax"), 12.0, i * 3 * kMinute, i * 3 * kMinute + 2 * kMinute, true});
  }
  for (int k = 0; k < 200; ++k) {
    LtrInfo l;
    l.id = 1000 + k;
    l.siteId = 100 + k / 10;
    l.needleId = 500 + k / 10;
    l.clockUs = (k / 10) * 3 * kMinute + 10'000'000 + (k % 10) * 10'000'000;
    l.source = k % 7 == 0 ? QStringLiteral("manual") : QStringLiteral("auto");
    l.status = k % 5 == 0 ? QStringLiteral("rejected") : QStringLiteral("confirmed");
    l.amplitudeUv = 150 + k;
    l.detectorVersion = QStringLiteral("ltr-detector-1.0");
    l.decidedBy = 2;
    r.ltrs.push_back(l);
  }
  for (int d = 0; d < 40; ++d) {
    LaserDoseInfo x;
    x.id = 2000 + d;
    x.siteId = 100 + d / 2;
    x.wavelengthNm = d % 2 ? 905 : 808;
    x.mode = d % 2 ? QStringLiteral("pulsed") : QStringLiteral("cw");
    if (d % 2) {
      x.pulseFrequencyHz = 5000;
      x.dutyCycle = 0.1;
    }
    x.measuredPowerMw = 150;
    x.timeS = 40;
    x.beamAreaCm2 = 0.5;
    x.energyJ = 6;
    x.fluenceJcm2 = 12;
    x.irradianceMwCm2 = 300;
    x.technique = QStringLiteral("contact");
    x.startedClockUs = (d / 2) * 3 * kMinute + 2 * kMinute + (d % 2) * 45'000'000;
    x.endedClockUs = x.startedClockUs + 40'000'000;
    x.stopReason = QStringLiteral("dose-reached");
    x.eyewearLabel = QStringLiteral("Goggles A");
    r.laserDoses.push_back(x);
  }
  for (int e = 0; e < 4; ++e) {
    r.estim.push_back(EStimInfo{3000 + e, 500 + e, 501 + e, QStringLiteral("biphasic"), 2, 200, 1.5, 0.8, 60, e * 10 * kMinute});
  }
  r.pain = {PainInfo{std::nullopt, QStringLiteral("before"), 7, 0}, PainInfo{std::nullopt, QStringLiteral("after"), 3, 59 * kMinute}};
  for (int a = 0; a < 10; ++a) {
    AuditItem item;
    item.sequence = 10 + a;
    item.utcUs = r.startedUs + a * kMinute;
    item.clockUs = a * kMinute;
    item.actor = QStringLiteral("therapist");
    item.action = a % 2 ? QStringLiteral("safety.acknowledged") : QStringLiteral("safety.refused");
    item.details = QJsonObject{{"rule", QStringLiteral("LUNG-LEN-1")}, {"reason", QStringLiteral("bench")}};
    (a % 2 ? r.acknowledgements : r.refusals).push_back(item);
  }
  r.notes.push_back(NoteInfo{1, 2, QStringLiteral("Sixty-minute bench session. ").repeated(40), r.startedUs});
  r.signOff = SignOffInfo{2, *r.endedUs, 999, QString(64, QLatin1Char('a'))};
  r.checkpoint = CheckpointInfo{r.consoleId, 1000, *r.endedUs, QString(64, QLatin1Char('b')), QString(128, QLatin1Char('c')),
                                QStringLiteral("sign-off")};
  RecordingInfo rec;
  rec.id = 1;
  rec.sampleRateHz = 2000;
  rec.channels = 1;
  r.recordings.push_back(rec);
  return r;
}

emg::EmgRecording hourOfEmg() {
  emg::EmgRecording e;
  e.sampleRateHz = 2000;
  e.channels = 1;
  e.samplesUv.resize(static_cast<std::size_t>(2000 * 3600));
  std::mt19937 rng(3);
  std::normal_distribution<float> noise(0.f, 10.f);
  for (float& v : e.samplesUv) v = noise(rng);
  return e;
}

template <class F>
std::vector<double> timeMs(int runs, F&& f) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    QElapsedTimer t;
    t.start();
    f();
    ms.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
  }
  return ms;
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QGuiApplication app(argc, argv);
  const SessionRecord record = bigSession();
  const emg::EmgRecording emg = hourOfEmg();
  Recordings recordings;
  recordings.add(record.recordings[0], emg);
  PdfOptions options;
  options.recordings = &recordings;
  options.generatedUs = record.startedUs;
  QTemporaryDir dir;

  int pages = 0;
  QByteArray warm;
  sessionReportBytes(record, options, warm);  // fonts, atlas, first-use costs
  const auto empty = timeMs(7, [] {
    QByteArray out;
    PdfCanvas::renderToBytes(out, QPageSize(QPageSize::A4), QStringLiteral("empty"), PdfStyle{}, PageFrame{},
                             [](PdfCanvas& c) { c.paragraph(QStringLiteral(".")); });
  });
  const auto pdf = timeMs(7, [&] {
    QByteArray out;
    pages = sessionReportBytes(record, options, out);
  });
  PdfOptions noTraces = options;
  noTraces.recordings = nullptr;
  const auto pdfNoTraces = timeMs(5, [&] {
    QByteArray out;
    sessionReportBytes(record, noTraces, out);
  });
  const auto fhir = timeMs(7, [&] { (void)sessionFhirBytes(record, record.startedUs); });
  const auto json = timeMs(7, [&] { (void)sessionJsonBytes(record, record.startedUs); });
  const auto events = sessionEvents(record);
  const QString edfPath = dir.filePath(QStringLiteral("s.edf"));
  const auto edf = timeMs(3, [&] { writeEdfPlus(edfPath, record, SignalSource{&emg, 0, QStringLiteral("bench")}, events); });

  bench::Report report(QStringLiteral("report_bench"));
  const double emptyMs = bench::percentile(empty, 50);
  report.add({QStringLiteral("session_pdf_60min_200ltr_40doses"), QStringLiteral("ms"), bench::percentile(pdf, 50),
              QStringLiteral("median"), static_cast<int>(pdf.size()),
              bench::Baseline{QStringLiteral("empty one-page PDF"), emptyMs, QStringLiteral("ms")},
              bench::Target{QStringLiteral("<"), 500, QStringLiteral("ms")}});
  report.add({QStringLiteral("session_pdf_without_thumbnails"), QStringLiteral("ms"), bench::percentile(pdfNoTraces, 50),
              QStringLiteral("median"), static_cast<int>(pdfNoTraces.size()),
              bench::Baseline{QStringLiteral("empty one-page PDF"), emptyMs, QStringLiteral("ms")}, std::nullopt});
  report.add({QStringLiteral("fhir_bundle"), QStringLiteral("ms"), bench::percentile(fhir, 50), QStringLiteral("median"),
              static_cast<int>(fhir.size()), std::nullopt, std::nullopt});
  report.add({QStringLiteral("json_export"), QStringLiteral("ms"), bench::percentile(json, 50), QStringLiteral("median"),
              static_cast<int>(json.size()), std::nullopt, std::nullopt});
  report.add({QStringLiteral("edf_plus_60min_1ch_2kHz"), QStringLiteral("ms"), bench::percentile(edf, 50), QStringLiteral("median"),
              static_cast<int>(edf.size()), std::nullopt, std::nullopt});
  report.setNotes(QStringLiteral("PDF: %1 pages, A4, 200 LTR rows with 160 trace thumbnails, 40 laser doses; timed in memory "
                                 "(layout pass + drawing pass). EDF+: 7.2 M samples + %2 annotations written to a temp file.")
                      .arg(pages)
                      .arg(events.size()));
  return report.finish();
}
