// End to end over a pty: tautband-sim emg injects an LTR about every second
// (printing each with its device time); every one injected after the
// detector's warm-up must appear in the needling page's LTR log, having gone
// through the real serial link, the native driver, the EMG thread and the
// view model. Also: the stream's units come from the device.
#include "../integration/devices/SimProcess.h"
#include "devices/native/NativeSerialLink.h"
#include "emglive/EmgStream.h"
#include "safety/ClinicSettings.h"
#include "safety/RuleTable.h"
#include "ui/NeedlingModel.h"

#include <QSignalSpy>
#include <QTest>

using namespace tautband;

namespace {
struct NullAudit : safety::SafetyAuditSink {
  void record(const safety::SafetyAuditRecord&) override {}
};
struct NullRecord : ui::NeedlingRecordSink {
  int ltrs = 0;
  bool persistent() const override { return false; }
  void needleIn(int, const QVariantMap&, std::int64_t) override {}
  void needleOut(int, bool, std::int64_t) override {}
  void ltr(const QVariantMap&) override { ++ltrs; }
  void pain(const QString&, int, std::int64_t) override {}
  void adverseEvent(const QString&, const QString&, const QString&, std::int64_t) override {}
  void emgRecording(const QString&, const QString&, const QString&, double, int, bool, std::int64_t) override {}
  void note(const QString&, std::int64_t) override {}
};
}  // namespace

class NeedlingPtyTest : public QObject {
  Q_OBJECT
 private slots:
  void simulatorLtrsAllReachTheLog() {
    const std::uint32_t rate = 4000;
    SimProcess sim({QStringLiteral("emg"), QStringLiteral("--channels"), QStringLiteral("2"), QStringLiteral("--rate"),
                    QString::number(rate), QStringLiteral("--ltr-every"), QStringLiteral("1")});
    QVERIFY(!sim.path().isEmpty());

    core::SessionClock clock;
    // Default detector settings: the simulator's LTRs are polyphasic discharges
    // (EMG-LTR.md) and every one must be found (docs/EMG.md).
    emglive::EmgStream::Options options;
    emglive::EmgThread thread(clock, nullptr, options);
    NullAudit audit;
    NullRecord record;
    safety::Evaluator evaluator(anatomy::Atlas::builtin(), safety::RuleTable::builtin(), safety::defaultClinicSettings());
    safety::AuditedSafety safety(evaluator, audit);
    ui::NeedlingModel model(safety, evaluator, clock, record, &thread.stream(), nullptr, [] { return ui::AmplifierInfo{}; });

    auto link = devices::makeNativeSerialLink(QStringLiteral("emg"), sim.path(), 115200);
    QSignalSpy identified(link.get(), &devices::DeviceLink::identified);
    thread.stream().attach(link.get());
    link->open();
    QVERIFY(identified.wait(3000));
    const double uvPerUnit = link->deviceInfo()->emg().microvolts_per_unit();
    devices::proto::Envelope start;
    start.mutable_emg_command()->set_request_id(1);
    start.mutable_emg_command()->mutable_start()->set_sample_rate_hz(rate);
    start.mutable_emg_command()->mutable_start()->set_channel_count(2);
    link->send(start);

    // Collect the simulator's injected LTRs for ~8 s of stream.
    std::vector<double> injectedDeviceUs;
    QElapsedTimer wall;
    wall.start();
    while (wall.elapsed() < 8000) {
      const auto line = sim.nextLine(200);
      QCoreApplication::processEvents();
      if (line && line->value(QStringLiteral("event")).toString() == QLatin1String("ltr"))
        injectedDeviceUs.push_back(line->value(QStringLiteral("device_time_us")).toDouble());
    }
    // Frames processed so far; every LTR injected before them (minus 0.2 s)
    // must be on the log once the queues have drained.
    const auto status = thread.stream().status();
    QTest::qWait(400);
    model.takeLtrs();
    QVERIFY(status.streaming);
    QCOMPARE(status.microvoltsPerUnit, uvPerUnit);  // from DeviceInfo, not guessed
    QCOMPARE(status.rateHz, static_cast<double>(rate));
    QCOMPARE(status.lostFrames, std::uint64_t{0});
    const auto feed = thread.stream().display();
    QVERIFY(feed);

    // Injected onsets as frame indices of the host's stream; detections likewise.
    std::vector<double> detectedFrames;
    for (const auto& v : model.ltrs()) {
      const auto m = v.toMap();
      if (m.value("manual").toBool() || m.value("status").toString() == QLatin1String("retracted")) continue;
      detectedFrames.push_back((m.value("onsetS").toDouble() - feed->sessionSOfFrame0) * rate);
    }
    const double warmUpFrames = 1.5 * rate;
    const double streamEnd = static_cast<double>(status.frames) - 0.2 * rate;
    int eligible = 0, found = 0;
    for (const double us : injectedDeviceUs) {
      const double frame = (us - static_cast<double>(status.firstDeviceTimeUs)) * rate / 1e6;
      if (frame < warmUpFrames || frame > streamEnd) continue;
      ++eligible;
      bool hit = false;
      double nearest = 1e12;
      for (const double d : detectedFrames) {
        hit |= std::abs(d - frame) <= 0.05 * rate;
        if (std::abs(d - frame) < std::abs(nearest)) nearest = d - frame;
      }
      found += hit;
      if (!hit) qWarning("injected LTR at frame %.0f not in the log (nearest detection %+.0f frames)", frame, nearest);
    }
    qInfo("%zu injected, %d after warm-up, %d found in the log; %zu detections in total", injectedDeviceUs.size(),
          eligible, found, detectedFrames.size());
    // (a) Everything the EMG thread detected is on the page's log: nothing lost between threads.
    QCOMPARE(static_cast<std::uint64_t>(detectedFrames.size()), thread.stream().status().detected);
    QCOMPARE(thread.stream().status().droppedLtrs, std::uint64_t{0});
    // (b) Every log entry is an injected LTR (±50 ms): no false alarms, onsets on the right clock.
    for (const double d : detectedFrames) {
      if (d > streamEnd) continue;  // injected after we stopped reading the simulator
      bool matches = false;
      for (const double us : injectedDeviceUs)
        matches |= std::abs(d - (us - static_cast<double>(status.firstDeviceTimeUs)) * rate / 1e6) <= 0.05 * rate;
      QVERIFY2(matches, qPrintable(QStringLiteral("detection at frame %1 matches no injected LTR").arg(d)));
    }
    // (c) Every LTR the simulator injected after the warm-up is on the log.
    QVERIFY(eligible >= 4);
    QCOMPARE(found, eligible);
    QVERIFY(record.ltrs >= found);
    link->close();
  }
};

QTEST_MAIN(NeedlingPtyTest)
#include "test_needling_pty.moc"
