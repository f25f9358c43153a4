// The plugin host: loading from disk, refusing what it must, the native
// driver as a plugin against the simulators, and misbehaving drivers cut
// off with emission off first.
#include "LinkTestSupport.h"
#include "SimProcess.h"
#include "devices/host/DriverCatalog.h"
#include "devices/host/DriverLinks.h"

#include <QTest>

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

using namespace tautband::devices;

namespace {

using test::waitForState;

// A pty the test itself plays the device on.
struct TestPty {
  int master = -1;
  QString slave;
  TestPty() {
    master = ::posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
    ::grantpt(master);
    ::unlockpt(master);
    slave = QString::fromLocal8Bit(::ptsname(master));
    // Keep a slave descriptor in raw mode so the line discipline passes bytes through.
    slaveFd = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
    termios tio{};
    ::tcgetattr(slaveFd, &tio);
    ::cfmakeraw(&tio);
    ::tcsetattr(slaveFd, TCSANOW, &tio);
  }
  ~TestPty() {
    ::close(master);
    ::close(slaveFd);
  }
  void write(const QByteArray& bytes) const { (void)::write(master, bytes.constData(), static_cast<size_t>(bytes.size())); }
  // Reads until `needle` has been seen or the deadline passes; returns all bytes read.
  QByteArray readUntil(const QByteArray& needle, int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (!seen.contains(needle) && t.elapsed() < timeoutMs) {
      pollfd pfd{master, POLLIN, 0};
      if (::poll(&pfd, 1, 10) > 0) {
        char buffer[256];
        const auto n = ::read(master, buffer, sizeof buffer);
        if (n > 0) seen.append(buffer, n);
      }
      QCoreApplication::processEvents();
    }
    return seen;
  }
  int slaveFd = -1;
  QByteArray seen;
};

}  // namespace

class DriverPluginsTest : public QObject {
  Q_OBJECT
  DriverCatalog catalog_;

 private slots:
  void initTestCase() {
    catalog_.loadDirectory(QStringLiteral(TAUTBAND_PLUGIN_DIR));
    catalog_.loadDirectory(QStringLiteral(TAUTBAND_TEST_PLUGIN_DIR));
  }

  void nativeDriverLoadsAsAPlugin() {
    const auto* native = catalog_.find(kNativeDriverId);
    QVERIFY(native);
    QCOMPARE(native->apiMajor, quint32{TB_DRIVER_API_MAJOR});
    QVERIFY(native->firmwareWatchdog());
    QCOMPARE(native->defaultBaud(), 115200);
  }

  void wrongMajorIsRefusedNamingBothVersions() {
    const auto it = std::find_if(catalog_.records().begin(), catalog_.records().end(),
                                 [](const DriverRecord& r) { return r.path.endsWith(QStringLiteral("wrong-major.so")); });
    QVERIFY(it != catalog_.records().end());
    QCOMPARE(it->status, DriverRecord::Status::Refused);
    QVERIFY2(it->reason.contains(QStringLiteral("2.0")) && it->reason.contains(QStringLiteral("1.0")), qPrintable(it->reason));
    QVERIFY(!catalog_.find(QStringLiteral("test.future")));
  }

  void laserWithoutAWatchdogDeclarationIsRefused() {
    const auto it = std::find_if(catalog_.records().begin(), catalog_.records().end(),
                                 [](const DriverRecord& r) { return r.path.endsWith(QStringLiteral("vague.so")); });
    QVERIFY(it != catalog_.records().end());
    QCOMPARE(it->status, DriverRecord::Status::Refused);
    QVERIFY(it->reason.contains(QStringLiteral("firmware_watchdog")));
  }

  void aFileThatIsNotADriverIsListedWithTheReason() {
    QTemporaryDir dir;
    QFile junk(dir.filePath(QStringLiteral("junk.so")));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("not an ELF file");
    junk.close();
    DriverCatalog catalog;
    catalog.loadDirectory(dir.path());
    QCOMPARE(catalog.records().size(), 1);
    QCOMPARE(catalog.records()[0].status, DriverRecord::Status::Failed);
    QVERIFY(catalog.records()[0].reason.startsWith(QStringLiteral("cannot load")));
  }

  void secondCopyOfADriverIsADuplicate() {
    DriverCatalog catalog;
    catalog.loadDirectory(QStringLiteral(TAUTBAND_PLUGIN_DIR));
    const auto& again = catalog.loadFile(QStringLiteral(TAUTBAND_PLUGIN_DIR "/tautband-driver-native.so"));
    QCOMPARE(again.status, DriverRecord::Status::Duplicate);
  }

  void nativePluginDrivesTheLaserSimulator() {
    SimProcess sim({QStringLiteral("laser"), QStringLiteral("--serial"), QStringLiteral("PLUG-1")});
    auto link = makeDriverSerialLink(QStringLiteral("t"), sim.path(), *catalog_.find(kNativeDriverId));
    link->open();
    QVERIFY(waitForState(*link, LinkState::Connected, 3000));
    QCOMPARE(link->deviceInfo()->serial(), std::string("PLUG-1"));
    QVERIFY(link->deviceInfo()->laser().firmware_watchdog());
    test::startEmission(*link, 100);
    QVERIFY(sim.waitFor(QStringLiteral("emission"), 2000, QStringLiteral("on"), true));
    // The emission-off bytes were encoded by the plugin at connect time.
    QVERIFY(link->safetyPath()->sendEmissionOff().ok);
    QVERIFY(sim.waitFor(QStringLiteral("emission"), 1000, QStringLiteral("on"), false));
  }

  void nativePluginStreamsEmgInMicrovolts() {
    SimProcess sim({QStringLiteral("emg"), QStringLiteral("--channels"), QStringLiteral("4")});
    auto link = makeDriverSerialLink(QStringLiteral("t"), sim.path(), *catalog_.find(kNativeDriverId));
    std::atomic<std::uint64_t> samples{0};
    std::atomic<double> maxAbsUv{0};
    QObject::connect(link.get(), &DeviceLink::messageReceived, link.get(),
                     [&](const std::shared_ptr<const proto::Envelope>& m) {
                       if (!m->has_emg_frame()) return;
                       samples += static_cast<std::uint64_t>(m->emg_frame().samples_size()) / 4;
                       for (auto v : m->emg_frame().samples()) {
                         maxAbsUv = std::max(maxAbsUv.load(), std::abs(v * 0.01));
                       }
                     },
                     Qt::DirectConnection);
    link->open();
    QVERIFY(waitForState(*link, LinkState::Connected, 3000));
    QCOMPARE(link->deviceInfo()->emg().microvolts_per_unit(), 0.01);
    proto::Envelope start;
    start.mutable_emg_command()->mutable_start()->set_sample_rate_hz(48000);
    start.mutable_emg_command()->mutable_start()->set_channel_count(4);
    link->send(start);
    QTRY_VERIFY2_WITH_TIMEOUT(samples.load() > 48000, qPrintable(QString::number(samples.load())), 15000);
    QCOMPARE(link->health().lostSequences, std::uint64_t{0});
    // 12 µV RMS noise: peaks of tens of µV, not thousands (units) or fractions.
    QVERIFY2(maxAbsUv.load() > 20 && maxAbsUv.load() < 200, qPrintable(QString::number(maxAbsUv.load())));
  }

  void misbehavingDriverIsCutOffWithEmissionOffFirst_data() {
    QTest::addColumn<QByteArray>("trigger");
    QTest::addColumn<QString>("reason");
    QTest::newRow("throws") << QByteArray("THROW\n") << QStringLiteral("error in receive");
    QTest::newRow("error status") << QByteArray("ERROR\n") << QStringLiteral("error in receive");
    QTest::newRow("garbage event") << QByteArray("JUNK\n") << QStringLiteral("invalid emg_block");
    QTest::newRow("too slow") << QByteArray("SLOW\n") << QStringLiteral("busy in one call");
  }
  void misbehavingDriverIsCutOffWithEmissionOffFirst() {
    QFETCH(QByteArray, trigger);
    QFETCH(QString, reason);
    const auto* driver = catalog_.find(QStringLiteral("test.misbehaving"));
    QVERIFY(driver);
    TestPty pty;
    LinkOptions options;
    options.codecCallBudget = std::chrono::milliseconds(100);
    auto link = makeDriverSerialLink(QStringLiteral("t"), pty.slave, *driver, 0, "{}", options);
    link->open();
    QVERIFY(pty.readUntil("HELLO\n", 2000).contains("HELLO\n"));
    pty.write("ID BAD-1\n");
    QVERIFY(waitForState(*link, LinkState::Connected, 2000));
    QVERIFY(link->safetyPath()->ready());
    pty.seen.clear();
    pty.write(trigger);
    QVERIFY2(pty.readUntil("OFF\n", 2000).contains("OFF\n"), "emission off was not written");
    QVERIFY(waitForState(*link, LinkState::Failed, 2000));
    QVERIFY2(link->health().stateDetail.contains(reason), qPrintable(link->health().stateDetail));
    QVERIFY(!link->safetyPath()->ready());
    QTest::qWait(400);  // let a slow call finish before the link goes
  }
};

QTEST_GUILESS_MAIN(DriverPluginsTest)
#include "test_driver_plugins.moc"
