// DeviceLink against the real simulators over ptys: the serial path end to end.
#include "LinkTestSupport.h"
#include "SimProcess.h"
#include "devices/native/NativeSerialLink.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace tautband::devices;

namespace {

std::unique_ptr<DeviceLink> linkTo(const QString& path, LinkOptions options = {}) {
  return makeNativeSerialLink(QStringLiteral("test"), path, 115200, options);
}

using test::waitForState;

proto::Envelope emgStart(std::uint32_t rate, std::uint32_t channels) {
  proto::Envelope e;
  e.mutable_emg_command()->set_request_id(100);
  e.mutable_emg_command()->mutable_start()->set_sample_rate_hz(rate);
  e.mutable_emg_command()->mutable_start()->set_channel_count(channels);
  return e;
}

// Counts EMG samples per channel as they arrive on the codec thread.
struct SampleCounter {
  std::atomic<std::uint64_t> frames{0};
  std::atomic<std::uint64_t> samples{0};
  QMetaObject::Connection connection;
  void attach(DeviceLink& link) {
    connection = QObject::connect(&link, &DeviceLink::messageReceived, &link,
                                  [this](const std::shared_ptr<const proto::Envelope>& m) {
                                    if (!m->has_emg_frame()) return;
                                    frames.fetch_add(1);
                                    samples.fetch_add(static_cast<std::uint64_t>(m->emg_frame().samples_size()) /
                                                      m->emg_frame().channel_count());
                                  },
                                  Qt::DirectConnection);
  }
};

}  // namespace

class LinkWithSimulatorsTest : public QObject {
  Q_OBJECT

 private slots:
  void laserIdentifiesAndReportsStatus() {
    SimProcess sim({QStringLiteral("laser"), QStringLiteral("--serial"), QStringLiteral("LZ-42")});
    QVERIFY(!sim.path().isEmpty());
    auto link = linkTo(sim.path());
    QSignalSpy identified(link.get(), &DeviceLink::identified);
    link->open();
    QVERIFY(identified.wait(3000));
    const auto info = link->deviceInfo();
    QVERIFY(info.has_value());
    QCOMPARE(info->serial(), std::string("LZ-42"));
    QVERIFY(info->laser().firmware_watchdog());
    QVERIFY(link->safetyPath()->ready());
    // Status every 50 ms keeps "last heard" fresh.
    QTRY_VERIFY_WITH_TIMEOUT(link->health().frames >= 5, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(*link->health().msSinceLastHeard < 100, 3000);
    const auto health = link->health();
    QCOMPARE(health.state, LinkState::Connected);
    QCOMPARE(health.frameErrors(), std::uint64_t{0});
  }

  void emissionOffThroughTheSafetyPathStopsTheLaser() {
    SimProcess sim({QStringLiteral("laser")});
    auto link = linkTo(sim.path());
    link->open();
    QVERIFY(waitForState(*link, LinkState::Connected, 3000));
    test::startEmission(*link, 100);
    QVERIFY(sim.waitFor(QStringLiteral("emission"), 2000, QStringLiteral("on"), true));
    const auto result = link->safetyPath()->sendEmissionOff();
    QVERIFY2(result.ok, result.error.c_str());
    const auto off = sim.waitFor(QStringLiteral("emission"), 1000, QStringLiteral("on"), false);
    QVERIFY(off.has_value());
    QCOMPARE(off->value("reason").toString(), QStringLiteral("emission_off command"));
  }

  void streams48kHzTimes8ChannelsFor10sWithoutLoss() {
    SimProcess sim({QStringLiteral("emg"), QStringLiteral("--channels"), QStringLiteral("8")});
    auto link = linkTo(sim.path());
    SampleCounter counter;
    counter.attach(*link);
    link->open();
    QVERIFY(waitForState(*link, LinkState::Connected, 3000));
    link->send(emgStart(48000, 8));
    QTRY_VERIFY_WITH_TIMEOUT(counter.frames.load() > 0, 2000);
    const auto startSamples = counter.samples.load();
    QElapsedTimer timer;
    timer.start();
    QTest::qWait(10000);
    const double seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    const double rate = static_cast<double>(counter.samples.load() - startSamples) / seconds;
    const auto health = link->health();
    QCOMPARE(health.lostSequences, std::uint64_t{0});
    QCOMPARE(health.frameErrors(), std::uint64_t{0});
    QVERIFY2(std::abs(rate - 48000) < 48000 * 0.02, qPrintable(QString::number(rate)));
  }

  void injectedFaultsAreCounted() {
    SimProcess sim({QStringLiteral("emg"), QStringLiteral("--rate"), QStringLiteral("4000")});
    auto link = linkTo(sim.path());
    SampleCounter counter;
    counter.attach(*link);
    link->open();
    QVERIFY(waitForState(*link, LinkState::Connected, 3000));
    link->send(emgStart(4000, 1));
    QTRY_VERIFY_WITH_TIMEOUT(counter.frames.load() > 10, 2000);
    sim.command(QStringLiteral("drop 5"));
    QVERIFY(sim.waitFor(QStringLiteral("ok"), 1000));
    QTRY_COMPARE_WITH_TIMEOUT(link->health().lostSequences, std::uint64_t{5}, 2000);
    sim.command(QStringLiteral("corrupt"));
    QVERIFY(sim.waitFor(QStringLiteral("ok"), 1000));
    QTRY_COMPARE_WITH_TIMEOUT(link->health().frameErrors(), std::uint64_t{1}, 2000);
    // The corrupted frame is lost too, and the stream goes on.
    QTRY_COMPARE_WITH_TIMEOUT(link->health().lostSequences, std::uint64_t{6}, 2000);
    const auto before = counter.frames.load();
    QTest::qWait(100);
    QVERIFY(counter.frames.load() > before + 50);
  }

  void stallShowsInLastHeard() {
    SimProcess sim({QStringLiteral("laser")});
    auto link = linkTo(sim.path());
    link->open();
    QVERIFY(waitForState(*link, LinkState::Connected, 3000));
    sim.command(QStringLiteral("stall 400"));
    QTest::qWait(300);
    QVERIFY2(*link->health().msSinceLastHeard >= 200, qPrintable(QString::number(*link->health().msSinceLastHeard)));
    // After the stall the device talks again.
    QTRY_VERIFY_WITH_TIMEOUT(*link->health().msSinceLastHeard < 100, 5000);
  }

  void slowDeviceSendsStatusLessOften() {
    SimProcess sim({QStringLiteral("laser")});
    auto link = linkTo(sim.path());
    std::atomic<int> statuses{0};
    QObject::connect(link.get(), &DeviceLink::messageReceived, link.get(),
                     [&](const std::shared_ptr<const proto::Envelope>& m) {
                       if (m->has_laser_status()) ++statuses;
                     },
                     Qt::DirectConnection);
    link->open();
    QVERIFY(waitForState(*link, LinkState::Connected, 3000));
    QTest::qWait(200);
    statuses = 0;
    QTest::qWait(1000);
    const int normal = statuses.exchange(0);
    sim.command(QStringLiteral("slow 4"));
    QVERIFY(sim.waitFor(QStringLiteral("ok"), 2000));
    statuses = 0;
    QTest::qWait(1000);
    const int slow = statuses.load();
    QVERIFY2(normal >= 15 && slow <= normal / 2, qPrintable(QStringLiteral("%1 vs %2").arg(normal).arg(slow)));
  }

  void peerCloseReconnectsByIdentity() {
    QTemporaryDir dir;
    const QString stable = dir.filePath(QStringLiteral("by-id-emg"));
    SimProcess sim({QStringLiteral("emg"), QStringLiteral("--link"), stable, QStringLiteral("--serial"), QStringLiteral("EMG-7")});
    LinkOptions options;
    options.reconnectInitial = std::chrono::milliseconds(50);
    auto link = linkTo(stable, options);
    link->open();
    QVERIFY(waitForState(*link, LinkState::Connected, 3000));
    const QString firstPty = sim.path();
    sim.command(QStringLiteral("disconnect"));
    const auto reconnected = sim.waitFor(QStringLiteral("reconnected"), 2000);
    QVERIFY(reconnected.has_value());
    QVERIFY(reconnected->value("path").toString() != firstPty);
    QTRY_COMPARE_WITH_TIMEOUT(link->health().reconnects, std::uint64_t{1}, 5000);
    QVERIFY(waitForState(*link, LinkState::Connected, 3000));
    QCOMPARE(link->deviceInfo()->serial(), std::string("EMG-7"));
  }

  void anotherDeviceOnTheSameIdentityIsRefused() {
    QTemporaryDir dir;
    const QString stable = dir.filePath(QStringLiteral("by-id-laser"));
    auto first = std::make_unique<SimProcess>(
        QStringList{QStringLiteral("laser"), QStringLiteral("--link"), stable, QStringLiteral("--serial"), QStringLiteral("A-1")});
    LinkOptions options;
    options.reconnectInitial = std::chrono::milliseconds(50);
    auto link = linkTo(stable, options);
    link->open();
    QVERIFY(waitForState(*link, LinkState::Connected, 3000));
    first.reset();  // unplugged
    QVERIFY(waitForState(*link, LinkState::Reconnecting, 3000));
    SimProcess second({QStringLiteral("laser"), QStringLiteral("--link"), stable, QStringLiteral("--serial"), QStringLiteral("B-2")});
    QVERIFY(waitForState(*link, LinkState::Failed, 5000));
    QVERIFY2(link->health().stateDetail.contains(QStringLiteral("different device")),
             qPrintable(link->health().stateDetail));
    QVERIFY(!link->safetyPath()->ready());
  }

  void handshakeTimeoutOnASilentPortFails() {
    SimProcess sim({QStringLiteral("laser")});
    sim.command(QStringLiteral("stall 5000"));
    QVERIFY(sim.waitFor(QStringLiteral("ok"), 1000));
    LinkOptions options;
    options.reconnect = false;
    options.handshakeTimeout = std::chrono::milliseconds(300);
    auto link = linkTo(sim.path(), options);
    link->open();
    QVERIFY(waitForState(*link, LinkState::Failed, 2000));
    QVERIFY(link->health().stateDetail.contains(QStringLiteral("no identification")));
  }
};

QTEST_GUILESS_MAIN(LinkWithSimulatorsTest)
#include "test_link_with_simulators.moc"
