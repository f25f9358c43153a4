// End to end over ptys: tautband-sim (cyton | bitalino | scpi-laser) <->
// the console's link (serial transport, codec thread) <-> the driver plugin
// loaded by the host's DriverCatalog. Faults injected in the simulator show
// up where the console looks for them.
#include "LinkTestSupport.h"
#include "SimProcess.h"
#include "devices/host/DriverCatalog.h"
#include "devices/host/DriverLinks.h"

#include <QTest>

#include <atomic>
#include <cmath>
#include <mutex>

using namespace tautband::devices;
using test::waitForState;

namespace {

// Counts EMG samples and their size from a link's messages (codec thread).
struct EmgCounter {
  std::atomic<std::uint64_t> samples{0};
  std::atomic<std::uint32_t> channels{0};
  std::mutex mutex;
  double sumSquares = 0;
  std::uint64_t values = 0;
  void attach(DeviceLink& link, double uvPerUnit) {
    QObject::connect(
        &link, &DeviceLink::messageReceived, &link,
        [this, uvPerUnit](const std::shared_ptr<const proto::Envelope>& m) {
          if (!m->has_emg_frame()) return;
          const auto& f = m->emg_frame();
          channels = f.channel_count();
          samples += static_cast<std::uint64_t>(f.samples_size()) / std::max(1u, f.channel_count());
          std::lock_guard lock(mutex);
          for (auto v : f.samples()) {
            sumSquares += (v * uvPerUnit) * (v * uvPerUnit);
            ++values;
          }
        },
        Qt::DirectConnection);
  }
  double rmsUv() {
    std::lock_guard lock(mutex);
    return values ? std::sqrt(sumSquares / static_cast<double>(values)) : 0;
  }
};

bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
  QElapsedTimer t;
  t.start();
  while (!done()) {
    if (t.elapsed() > timeoutMs) return false;
    QTest::qWait(10);
  }
  return true;
}

}  // namespace

class DriverLinksPtyTest : public QObject {
  Q_OBJECT
  DriverCatalog catalog_;

 private slots:
  void initTestCase() {
    catalog_.loadDirectory(QStringLiteral(TAUTBAND_PLUGIN_DIR));
    for (const char* id : {"openbci.cyton", "plux.bitalino", "generic.scpi-laser"}) {
      QVERIFY2(catalog_.find(QString::fromLatin1(id)), id);
    }
  }

  void cytonStreamsThroughTheHost_data() {
    QTest::addColumn<bool>("daisy");
    QTest::newRow("8 channels") << false;
    QTest::newRow("Daisy") << true;
  }
  void cytonStreamsThroughTheHost() {
    QFETCH(bool, daisy);
    SimProcess sim(daisy ? QStringList{QStringLiteral("cyton"), QStringLiteral("--daisy")}
                         : QStringList{QStringLiteral("cyton")});
    QVERIFY(!sim.path().isEmpty());
    const auto* driver = catalog_.find(QStringLiteral("openbci.cyton"));
    QCOMPARE(driver->defaultBaud(), 115200);
    QCOMPARE(driver->patientIsolation(), QStringLiteral("none"));
    auto link = makeDriverSerialLink(QStringLiteral("cyton"), sim.path(), *driver, 0, R"({"gain": 8})");
    EmgCounter emg;
    link->open();
    QVERIFY(waitForState(*link, LinkState::Connected, 5000));
    QCOMPARE(link->deviceInfo()->emg().channels(), daisy ? 16u : 8u);
    // TB_APPLIED_PART_NONE arrives as APPLIED_PART_UNSPECIFIED: the protocol has no "none".
    QCOMPARE(link->deviceInfo()->emg().applied_part(), proto::APPLIED_PART_UNSPECIFIED);
    emg.attach(*link, link->deviceInfo()->emg().microvolts_per_unit());
    // The board received our gain for every channel.
    QVERIFY(sim.waitFor(QStringLiteral("channel"), 3000, QStringLiteral("channel"), daisy ? 16 : 8));
    proto::Envelope start;
    start.mutable_emg_command()->mutable_start();
    link->send(start);
    QVERIFY(sim.waitFor(QStringLiteral("stream"), 3000, QStringLiteral("on"), true));
    const std::uint64_t perSecond = daisy ? 125 : 250;
    QVERIFY2(waitUntil([&] { return emg.samples >= perSecond; }, 3000),
             qPrintable(QString::number(emg.samples)));
    QCOMPARE(emg.channels.load(), daisy ? 16u : 8u);
    QCOMPARE(link->health().lostSequences, std::uint64_t{0});
    // 10 µV rms from the simulator, scaled back with the gain the driver set.
    QVERIFY2(emg.rmsUv() > 7 && emg.rmsUv() < 13, qPrintable(QString::number(emg.rmsUv())));
    // Four packets: four samples; with a Daisy two pairs, or three when the
    // drop starts mid-pair (each half-pair costs its whole sample).
    sim.command(QStringLiteral("drop 4"));
    QVERIFY2(waitUntil([&] { return link->health().lostSequences >= (daisy ? 2u : 4u); }, 3000),
             qPrintable(QString::number(link->health().lostSequences)));
    QTest::qWait(200);
    const auto lost = link->health().lostSequences;
    QVERIFY2(daisy ? (lost == 2 || lost == 3) : lost == 4, qPrintable(QString::number(lost)));
    link->close();
  }

  void bitalinoStreamsThroughTheHost() {
    SimProcess sim({QStringLiteral("bitalino")});
    QVERIFY(!sim.path().isEmpty());
    auto link = makeDriverSerialLink(QStringLiteral("bitalino"), sim.path(),
                                     *catalog_.find(QStringLiteral("plux.bitalino")), 0,
                                     R"({"channels": ["A1", "A2"]})");
    EmgCounter emg;
    link->open();
    QVERIFY(waitForState(*link, LinkState::Connected, 5000));
    QCOMPARE(link->deviceInfo()->firmware(), std::string("BITalino_v5.1"));
    emg.attach(*link, link->deviceInfo()->emg().microvolts_per_unit());
    proto::Envelope start;
    start.mutable_emg_command()->mutable_start()->set_sample_rate_hz(1000);
    link->send(start);
    QVERIFY(sim.waitFor(QStringLiteral("stream"), 3000, QStringLiteral("rate_hz"), 1000));
    QVERIFY2(waitUntil([&] { return emg.samples >= 1000; }, 3000), qPrintable(QString::number(emg.samples)));
    QCOMPARE(emg.channels.load(), 2u);
    QCOMPARE(link->health().lostSequences, std::uint64_t{0});
    QVERIFY2(emg.rmsUv() > 6 && emg.rmsUv() < 15, qPrintable(QString::number(emg.rmsUv())));
    sim.command(QStringLiteral("drop 5"));
    QVERIFY(waitUntil([&] { return link->health().lostSequences >= 5; }, 3000));
    sim.command(QStringLiteral("corrupt"));
    QVERIFY(waitUntil([&] { return link->health().lostSequences >= 6; }, 3000));
    QTest::qWait(200);
    QCOMPARE(link->health().lostSequences, std::uint64_t{6});
    link->close();
  }

  void scpiLaserThroughTheHostStopsOnTheSafetyPath() {
    SimProcess sim({QStringLiteral("scpi-laser"), QStringLiteral("--serial"), QStringLiteral("SCPI-7")});
    QVERIFY(!sim.path().isEmpty());
    const auto* driver = catalog_.find(QStringLiteral("generic.scpi-laser"));
    QVERIFY(!driver->firmwareWatchdog());
    QCOMPARE(driver->defaultBaud(), 38400);
    std::atomic<int> emitting{0};
    std::atomic<int> interlockOpen{0};
    auto link =
        makeDriverSerialLink(QStringLiteral("scpi"), sim.path(), *driver, 0,
                             R"({"calibration": [[0, 0], [100, 0], [600, 500]], "current_limit_ma": 650})");
    QObject::connect(
        link.get(), &DeviceLink::messageReceived, link.get(),
        [&](const std::shared_ptr<const proto::Envelope>& m) {
          if (!m->has_laser_status()) return;
          if (m->laser_status().emission() == proto::EMISSION_STATE_EMITTING) ++emitting;
          if (!m->laser_status().interlock_closed()) ++interlockOpen;
        },
        Qt::DirectConnection);
    link->open();
    QVERIFY(waitForState(*link, LinkState::Connected, 5000));
    QCOMPARE(link->deviceInfo()->serial(), std::string("SCPI-7"));
    QVERIFY(!link->deviceInfo()->laser().firmware_watchdog());
    QVERIFY(link->safetyPath()->ready());
    test::startEmission(*link, 200);
    QVERIFY(sim.waitFor(QStringLiteral("emission"), 3000, QStringLiteral("on"), true));
    QVERIFY(waitUntil([&] { return emitting > 2; }, 3000));
    // The pre-encoded bytes, written without the plugin: "LAS:OUT 0\r\n".
    QVERIFY(link->safetyPath()->sendEmissionOff().ok);
    QVERIFY(sim.waitFor(QStringLiteral("emission"), 2000, QStringLiteral("on"), false));
    sim.command(QStringLiteral("interlock open"));
    QVERIFY(waitUntil([&] { return interlockOpen > 0; }, 3000));
    link->close();
  }
};

QTEST_GUILESS_MAIN(DriverLinksPtyTest)
#include "test_driver_links_pty.moc"
