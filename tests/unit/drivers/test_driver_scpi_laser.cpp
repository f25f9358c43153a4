// SCPI laser diode source driver through its C table: *IDN? handshake,
// set commands followed by ERR?, set point vs measured current, status polls
// with LAS:COND? bits, the calibration table as the only power source,
// stateless emission-off, no keep-alive, and hostile input.
#include "DriverHarness.h"
#include "FirmwareLoop.h"
#include "devices/sim/ScpiLaserFirmware.h"

#include <QTest>

#include <random>

namespace {

constexpr char kCalibrated[] = R"({"calibration": [[0, 0], [100, 0], [600, 500]], "wavelength_nm": 810})";
constexpr std::uint32_t kInterlockBit = 1u << 4;
constexpr std::uint32_t kOutputOnBit = 1u << 10;

void identify(DriverHarness& h) {
  QCOMPARE(h.start(), QByteArray("*IDN?\r\n"));
  h.feed("Arroyo,4304 LaserSource,12345,v2.1\r\n");
  QCOMPARE(h.infos.size(), std::size_t{1});
}

// Runs one poll: ticks until the driver asks, then answers COND and LDI (and
// SET:LDI when asked) in order.
void poll(DriverHarness& h, std::uint64_t nowUs, std::uint32_t cond, const char* measuredMa,
          const char* setMa = "0") {
  h.sent.clear();
  h.tick(nowUs);
  QVERIFY2(h.sent.endsWith("LAS:COND?\r\nLAS:LDI?\r\n"), h.sent.constData());
  QByteArray answer;
  if (h.sent.startsWith("LAS:SET:LDI?\r\n")) answer += QByteArray(setMa) + "\r\n";
  answer += QByteArray::number(cond) + "\r\n" + measuredMa + "\n";
  h.feed(answer);
}

}  // namespace

class ScpiLaserDriverTest : public QObject {
  Q_OBJECT

 private slots:
  void identityBecomesDeviceInfoWithoutWatchdog() {
    DriverHarness h(kCalibrated);
    QVERIFY2(h.created(), h.createError.c_str());
    identify(h);
    const auto& info = h.infos[0];
    QCOMPARE(info.vendor, std::string("Arroyo"));
    QCOMPARE(info.model, std::string("4304 LaserSource"));
    QCOMPARE(info.serial, std::string("12345"));
    QCOMPARE(info.firmware, std::string("v2.1"));
    QCOMPARE(info.firmwareWatchdog, 0);
    QCOMPARE(info.sources.size(), std::size_t{1});
    QCOMPARE(info.sources[0].wavelength_nm, 810u);
    QCOMPARE(info.sources[0].max_power_mw, 500u);
    QCOMPARE(info.sources[0].modes, 1u << TB_LASER_CW);
  }

  void currentLimitIsSetAndCheckedAfterIdentity() {
    DriverHarness h(R"({"current_limit_ma": 450})");
    identify(h);
    QCOMPARE(h.sent, QByteArray("LAS:LIM:LDI 450.000\r\nERR?\r\n"));
    h.feed("0\r\n");
    QVERIFY(h.faults.empty());
    // The next line is unsolicited: logged, not taken as an answer.
    h.feed("123\r\n");
    QVERIFY(!h.logs.empty());
  }

  void setPowerGoesThroughTheCalibrationTableAndErrQuery() {
    DriverHarness h(kCalibrated);
    identify(h);
    QCOMPARE(h.encode(TB_CMD_SET_POWER, 7, 250), QByteArray("LAS:LDI 350.000\r\nERR?\r\n"));
    QVERIFY(!h.replyFor(7));  // set commands answer nothing: ERR? decides
    h.feed("0\r\n");
    QVERIFY(h.replyFor(7) && h.replyFor(7)->ok);
    QCOMPARE(h.encode(TB_CMD_SET_POWER, 8, 100), QByteArray("LAS:LDI 200.000\r\nERR?\r\n"));
    h.feed("E-402,Out of range\r\n");
    QVERIFY(h.replyFor(8) && !h.replyFor(8)->ok);
    QVERIFY(h.replyFor(8)->detail.find("E-402") != std::string::npos);
    QCOMPARE(h.faults.back().code, 1001u);
    QVERIFY(h.faults.back().active);
    // Beyond the table: refused without a byte.
    QCOMPARE(h.encode(TB_CMD_SET_POWER, 9, 501), QByteArray());
    QVERIFY(h.replyFor(9) && !h.replyFor(9)->ok);
  }

  void powerCannotBeSetOrMeasuredWithoutCalibration() {
    DriverHarness h;
    identify(h);
    QCOMPARE(h.encode(TB_CMD_SET_POWER, 1, 10), QByteArray());
    QVERIFY(h.replyFor(1) && !h.replyFor(1)->ok);
    poll(h, 100'000, kOutputOnBit, "200.0");
    QCOMPARE(h.statuses.size(), std::size_t{1});
    QCOMPARE(h.statuses[0].status.measured_power_mw, -1.0f);
  }

  void statusPollsGiveMeasuredPowerFromMeasuredCurrent() {
    DriverHarness h(kCalibrated);
    identify(h);
    poll(h, 100'000, kOutputOnBit, "349.5", "350.0");
    QCOMPARE(h.statuses.size(), std::size_t{1});
    const auto& s = h.statuses[0].status;
    QCOMPARE(s.emission, TB_EMISSION_EMITTING);
    QVERIFY(std::abs(s.measured_power_mw - 249.5f) < 0.01f);  // (349.5 - 100) mA * 500 mW / 500 mA
    QCOMPARE(s.set_power_mw, 250u);                           // from LAS:SET:LDI?, not LAS:LDI?
    QCOMPARE(s.interlock_closed, 1);
    QCOMPARE(s.wavelength_nm, 810u);
    QVERIFY(std::isnan(s.temperature_c));
    // Interlock bit: fault raised once, status says open, output off.
    poll(h, 200'000, kInterlockBit, "0.0");
    QCOMPARE(h.statuses.back().status.interlock_closed, 0);
    QCOMPARE(h.statuses.back().status.emission, TB_EMISSION_OFF);
    QCOMPARE(h.statuses.back().faults, std::vector<std::uint32_t>{2});
    QCOMPARE(h.faults.back().code, 2u);
    QVERIFY(h.faults.back().active);
    poll(h, 300'000, kInterlockBit, "0.0");
    QCOMPARE(h.faults.size(), std::size_t{1});  // transitions only
    poll(h, 400'000, 0, "0.0");
    QVERIFY(!h.faults.back().active);
  }

  void pollsWaitForAnswersAndNoReplyIsAFault() {
    DriverHarness h(kCalibrated);
    identify(h);
    h.sent.clear();
    h.tick(100'000);
    QVERIFY(h.sent.endsWith("LAS:COND?\r\nLAS:LDI?\r\n"));
    h.sent.clear();
    h.tick(160'000);
    h.tick(220'000);
    QCOMPARE(h.sent, QByteArray());  // the last poll is still out
    h.tick(1'200'000);
    QCOMPARE(h.faults.back().code, 1002u);
    QVERIFY(h.faults.back().active);
    poll(h, 1'300'000, 0, "0.0");
    QCOMPARE(h.faults.back().code, 1002u);
    QVERIFY(!h.faults.back().active);
    QCOMPARE(h.statuses.size(), std::size_t{1});
  }

  void emissionOffIsTheSameBytesInEveryState() {
    DriverHarness h(kCalibrated);
    const QByteArray off("LAS:OUT 0\r\n");
    QCOMPARE(h.encode(TB_CMD_EMISSION_OFF), off);
    identify(h);
    QCOMPARE(h.encode(TB_CMD_EMISSION_OFF), off);
    h.encode(TB_CMD_ARM, 1, 1);
    h.encode(TB_CMD_EMIT_ON, 2);
    h.tick(100'000);  // a poll outstanding
    QCOMPARE(h.encode(TB_CMD_EMISSION_OFF), off);
    QCOMPARE(h.encode(TB_CMD_EMISSION_OFF, 99, 5, 5), off);
    // Emission-off adds no query: the answers still line up.
    h.feed("0\r\n");  // ERR? of EMIT_ON
    QVERIFY(h.replyFor(2) && h.replyFor(2)->ok);
  }

  void keepAliveAndPulseSettingsAreUnsupported() {
    DriverHarness h;
    for (auto kind : {TB_CMD_KEEP_ALIVE, TB_CMD_SET_FREQUENCY, TB_CMD_SET_DUTY, TB_CMD_EMG_START}) {
      h.encode(kind, 1, 1);
      QCOMPARE(h.lastStatus, TB_UNSUPPORTED);
    }
  }

  void emissionNeedsArmingAndIsCheckedWithErr() {
    DriverHarness h(kCalibrated);
    identify(h);
    QCOMPARE(h.encode(TB_CMD_EMIT_ON, 1), QByteArray());
    QVERIFY(h.replyFor(1) && !h.replyFor(1)->ok);
    QCOMPARE(h.encode(TB_CMD_ARM, 2, 1), QByteArray());
    QVERIFY(h.replyFor(2) && h.replyFor(2)->ok);
    QCOMPARE(h.encode(TB_CMD_EMIT_ON, 3, 5000), QByteArray("LAS:OUT 1\r\nERR?\r\n"));
    QCOMPARE(h.encode(TB_CMD_ARM, 4, 0), QByteArray("LAS:OUT 0\r\nERR?\r\n"));
    h.feed("0\r\n0\r\n");
    QVERIFY(h.replyFor(3) && h.replyFor(3)->ok);
    QVERIFY(h.replyFor(4) && h.replyFor(4)->ok);
    QCOMPARE(h.encode(TB_CMD_SET_WAVELENGTH, 5, 810), QByteArray());
    QVERIFY(h.replyFor(5)->ok);
    h.encode(TB_CMD_SET_WAVELENGTH, 6, 905);
    QVERIFY(!h.replyFor(6)->ok);
    h.encode(TB_CMD_SET_MODE, 7, TB_LASER_PULSED);
    QVERIFY(!h.replyFor(7)->ok);
  }

  void badSettingsAreRefused() {
    for (const char* s : {R"({"calibration": [[0, 0]]})", R"({"calibration": [[10, 0], [5, 3]]})",
                          R"({"calibration": [[0, 5], [10, 3]]})", R"({"baud": 1234})", "[]"}) {
      DriverHarness h(s);
      QVERIFY2(!h.created(), s);
      QVERIFY(!h.createError.empty());
    }
  }

  void againstTheSimulatedSource() {
    using namespace tautband::devices::sim;
    ScpiLaserFirmware source({}, {});
    DriverHarness h(R"({"calibration": [[0, 0], [100, 0], [600, 500]], "current_limit_ma": 650})");
    FirmwareLoop loop(h, source);
    loop.toDevice(h.start());
    QCOMPARE(h.infos.size(), std::size_t{1});
    QCOMPARE(h.infos[0].serial, std::string("SIM-SCPI-0001"));
    loop.pump();  // LAS:LIM:LDI and its ERR?
    loop.toDevice(h.encode(TB_CMD_SET_POWER, 1, 200));
    QVERIFY(h.replyFor(1) && h.replyFor(1)->ok);
    QCOMPARE(source.setPointMa(), 300.0);
    loop.toDevice(h.encode(TB_CMD_ARM, 2, 1));
    loop.toDevice(h.encode(TB_CMD_EMIT_ON, 3));
    QVERIFY(h.replyFor(3) && h.replyFor(3)->ok);
    QVERIFY(source.outputOn());
    loop.run(200'000);
    QVERIFY(h.statuses.size() >= 3);
    const auto& s = h.statuses.back().status;
    QCOMPARE(s.emission, TB_EMISSION_EMITTING);
    QVERIFY2(std::abs(s.measured_power_mw - 200.0f) < 1.0f, qPrintable(QString::number(s.measured_power_mw)));
    QCOMPARE(s.set_power_mw, 200u);
    // Over the device's limit: the source refuses, ERR? says so, the driver refuses.
    loop.toDevice(h.encode(TB_CMD_SET_POWER, 4, 499));  // 599 mA: inside the table and our limit
    QVERIFY(h.replyFor(4) && h.replyFor(4)->ok);
    // No watchdog: a silent host leaves the output on.
    for (int i = 0; i < 1000; ++i) source.tick({i * 1000, i * 1000}, loop.output());
    QVERIFY(source.outputOn());
    // Emission off: the stateless bytes stop it.
    loop.toDevice(h.encode(TB_CMD_EMISSION_OFF));
    QVERIFY(!source.outputOn());
    // Interlock opens: output cannot come on; the driver reports the open loop.
    source.command(QStringLiteral("interlock"), QStringLiteral("open"), loop.time(), loop.output());
    loop.toDevice(h.encode(TB_CMD_EMIT_ON, 5));
    QVERIFY(h.replyFor(5) && !h.replyFor(5)->ok);
    QVERIFY(!source.outputOn());
    loop.run(200'000);
    QCOMPARE(h.statuses.back().status.interlock_closed, 0);
    QCOMPARE(h.statuses.back().status.emission, TB_EMISSION_ARMED);
    // A garbled reply line is logged, and the polls carry on.
    const auto before = h.statuses.size();
    loop.corruptNextUnit();
    loop.run(300'000);
    QVERIFY(h.statuses.size() > before);
  }

  void hostileInputNeverCrashes() {
    std::mt19937 rng(5);
    for (int round = 0; round < 10; ++round) {
      DriverHarness h(kCalibrated);
      h.start();
      QByteArray junk(100'000, '\0');
      for (auto& c : junk) c = static_cast<char>(rng() % 8 == 0 ? '\n' : rng());
      std::uint64_t now = 0;
      for (qsizetype at = 0; at < junk.size();) {
        const auto n = std::min<qsizetype>(1 + rng() % 200, junk.size() - at);
        QCOMPARE(h.feed(junk.mid(at, n)), TB_OK);
        h.tick(now += 20'000);
        if (rng() % 5 == 0)
          h.encode(static_cast<tb_command_kind>(1 + rng() % 11), 1, rng() % 1000, rng() % 10);
        at += n;
      }
      h.feed(QByteArray(10'000, 'A') + "\r\n");  // oversize line
      QCOMPARE(h.encode(TB_CMD_EMISSION_OFF), QByteArray("LAS:OUT 0\r\n"));
    }
  }
};

QTEST_GUILESS_MAIN(ScpiLaserDriverTest)
#include "test_driver_scpi_laser.moc"
