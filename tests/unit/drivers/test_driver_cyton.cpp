// OpenBCI Cyton driver through its C table: reset handshake, packet decoding
// and scaling, split packets, resync after garbage, lost counters (mod 256),
// gain settings, Daisy interleaving, and hostile input.
#include "DriverHarness.h"
#include "FirmwareLoop.h"
#include "devices/sim/CytonFirmware.h"

#include <QTest>

#include <array>
#include <random>

namespace {

constexpr char kResetReply[] =
    "OpenBCI V3 8-16 channel\nOn Board ADS1299 Device ID: 0x3E\nLIS3DH Device ID: 0x33\nFirmware: "
    "v3.1.2\n$$$";
constexpr char kResetReplyDaisy[] =
    "OpenBCI V3 8-16 channel\nOn Board ADS1299 Device ID: 0x3E\nOn Daisy ADS1299 Device ID: 0x3E\n"
    "LIS3DH Device ID: 0x33\nFirmware: v3.1.2\n$$$";

// Independent of the driver: the packet layout from OpenBCI's Cyton data format.
QByteArray packet(std::uint8_t counter, const std::array<std::int32_t, 8>& counts,
                  std::uint8_t footer = 0xC0) {
  QByteArray p;
  p.append(char(0xA0));
  p.append(char(counter));
  for (auto c : counts) {
    const auto u = static_cast<std::uint32_t>(c) & 0xFFFFFF;
    p.append(char(u >> 16));
    p.append(char((u >> 8) & 0xFF));
    p.append(char(u & 0xFF));
  }
  p.append(QByteArray(6, '\0'));
  p.append(char(footer));
  return p;
}

std::array<std::int32_t, 8> countsFor(int k) {
  return {1000 + k, -1000 - k, 8388607, -8388608, 0, k * 7, -k * 3, 123456};
}

double uvPerCount(double gain) {
  return 4.5 / gain / 8388607.0 * 1e6;
}

void identify(DriverHarness& h, const char* reply = kResetReply) {
  QCOMPARE(h.start(), QByteArray("v"));
  h.feedByteByByte(QByteArray(reply));
  QCOMPARE(h.infos.size(), std::size_t{1});
}

void startStreaming(DriverHarness& h) {
  QCOMPARE(h.encode(TB_CMD_EMG_START, 5), QByteArray("b"));
}

}  // namespace

class CytonDriverTest : public QObject {
  Q_OBJECT

 private slots:
  void resetReplyIdentifiesTheBoardAndSetsEveryChannel() {
    DriverHarness h;
    QVERIFY(h.created());
    h.feed("OpenBCI V3 8-16 channel\nOn Board");
    QVERIFY(h.infos.empty());  // not before "$$$"
    h.start();
    h.feed(QByteArray(kResetReply));
    QCOMPARE(h.infos.size(), std::size_t{1});
    const auto& info = h.infos[0];
    QCOMPARE(info.vendor, std::string("OpenBCI"));
    QCOMPARE(info.model, std::string("Cyton"));
    QCOMPARE(info.firmware, std::string("v3.1.2"));
    QCOMPARE(info.channels, 8u);
    QCOMPARE(info.rateHz, 250u);
    QCOMPARE(info.resolutionBits, 24u);
    QCOMPARE(info.appliedPart, TB_APPLIED_PART_NONE);
    QCOMPARE(info.sources.size(), std::size_t{0});
    QByteArray expected;
    for (char ch = '1'; ch <= '8'; ++ch) expected += QByteArray("x") + ch + "060110X";
    QCOMPARE(h.sent, expected);
  }

  void packetsDecodeToMicrovoltsAtTheDefaultGain() {
    DriverHarness h;
    identify(h);
    startStreaming(h);
    QByteArray stream;
    for (int k = 0; k < 10; ++k) stream += packet(static_cast<std::uint8_t>(k), countsFor(k));
    h.feed(stream);
    QCOMPARE(h.sampleCount(), std::size_t{10});
    QVERIFY(h.replyFor(5) && h.replyFor(5)->ok);
    const auto all = h.allSamples();
    for (int k = 0; k < 10; ++k) {
      const auto counts = countsFor(k);
      for (int ch = 0; ch < 8; ++ch) {
        const double expected = counts[ch] * uvPerCount(24);
        QVERIFY2(std::abs(all[k * 8 + ch] - expected) <= 1e-6 * std::max(1.0, std::abs(expected)),
                 qPrintable(QStringLiteral("k=%1 ch=%2 got %3 want %4")
                                .arg(k)
                                .arg(ch)
                                .arg(all[k * 8 + ch])
                                .arg(expected)));
      }
    }
    QCOMPARE(h.blocks[0].sequence, 0u);
    QCOMPARE(h.blocks[0].modulus, 256u);
    QCOMPARE(h.blocks[0].rateHz, 250u);
    // Full scale: +4.5 V / 24 = 187500 µV.
    QVERIFY(std::abs(all[2] - 187500.0) < 0.1);
  }

  void byteByByteDecodesTheSameAsWholePackets() {
    QByteArray stream;
    for (int k = 0; k < 40; ++k) stream += packet(static_cast<std::uint8_t>(k), countsFor(k), 0xC0 + k % 7);
    DriverHarness whole, split;
    identify(whole);
    identify(split);
    startStreaming(whole);
    startStreaming(split);
    whole.feed(stream);
    split.feedByteByByte(stream);
    QCOMPARE(split.sampleCount(), std::size_t{40});
    QCOMPARE(split.allSamples(), whole.allSamples());
    QCOMPARE(split.lostFromSequence(), 0u);
  }

  void resyncsAfterGarbage() {
    DriverHarness h;
    identify(h);
    startStreaming(h);
    std::mt19937 rng(7);
    QByteArray stream;
    for (int k = 0; k < 30; ++k) {
      stream += packet(static_cast<std::uint8_t>(k), countsFor(k));
      QByteArray garbage;
      const int n = static_cast<int>(rng() % 50);
      for (int i = 0; i < n; ++i) {
        auto b = static_cast<std::uint8_t>(rng());
        if (b >= 0xC0 && b <= 0xC6) b = 0xA0;  // plenty of false headers, no false footers
        garbage.append(char(b));
      }
      stream += garbage;
    }
    h.feed(stream);
    QCOMPARE(h.sampleCount(), std::size_t{30});
    QCOMPARE(h.lostFromSequence(), 0u);
    // A packet with a bad footer is not a packet.
    h.blocks.clear();
    h.feed(packet(30, countsFor(30), 0x00) + packet(31, countsFor(31)));
    QCOMPARE(h.sampleCount(), std::size_t{1});
    QCOMPARE(h.blocks[0].sequence, 31u);
  }

  void lostPacketsShowInTheSequenceModulo256() {
    DriverHarness h;
    identify(h);
    startStreaming(h);
    QByteArray stream;
    for (int k = 250; k < 256; ++k) stream += packet(static_cast<std::uint8_t>(k), countsFor(k));
    for (int k = 0; k < 5; ++k)
      stream += packet(static_cast<std::uint8_t>(k), countsFor(k));  // wraps: no loss
    for (int k = 9; k < 12; ++k) stream += packet(static_cast<std::uint8_t>(k), countsFor(k));  // 5..8 lost
    h.feed(stream);
    QCOMPARE(h.sampleCount(), std::size_t{14});
    // One block per packet, its sequence the packet counter.
    QCOMPARE(h.blocks.size(), std::size_t{14});
    QCOMPARE(h.blocks[0].sequence, 250u);
    QCOMPARE(h.blocks[0].samples, 1u);
    QCOMPARE(h.blocks[5].sequence, 255u);
    QCOMPARE(h.blocks[6].sequence, 0u);
    QCOMPARE(h.blocks[11].sequence, 9u);
    QCOMPARE(h.lostFromSequence(), 4u);
  }

  void gainSettingChangesCommandsAndScaling_data() {
    QTest::addColumn<int>("gain");
    QTest::addColumn<char>("code");
    QTest::newRow("1") << 1 << '0';
    QTest::newRow("8") << 8 << '4';
    QTest::newRow("12") << 12 << '5';
  }
  void gainSettingChangesCommandsAndScaling() {
    QFETCH(int, gain);
    QFETCH(char, code);
    DriverHarness h(QStringLiteral(R"({"gain": %1, "bias": false, "srb2": false})").arg(gain).toStdString());
    QVERIFY2(h.created(), h.createError.c_str());
    identify(h);
    QVERIFY(h.sent.startsWith(QByteArray("x10") + code + "0000X"));
    QVERIFY(h.sent.contains(QByteArray("x80") + code + "0000X"));
    startStreaming(h);
    h.feed(packet(0, countsFor(0)));
    QCOMPARE(h.sampleCount(), std::size_t{1});
    QVERIFY(std::abs(h.allSamples()[0] - 1000 * uvPerCount(gain)) < 1e-3);
  }

  void daisyInterleavesSixteenChannelsAt125Hz() {
    DriverHarness h;
    identify(h, kResetReplyDaisy);
    QCOMPARE(h.infos[0].channels, 16u);
    QCOMPARE(h.infos[0].rateHz, 125u);
    QCOMPARE(h.infos[0].model, std::string("Cyton + Daisy"));
    QVERIFY(h.sent.contains("xQ060110X") && h.sent.contains("xI060110X"));
    startStreaming(h);
    QByteArray stream;
    // Even counter: Daisy (channels 9-16); the odd one after it: channels 1-8.
    for (int k = 0; k < 8; k += 2) {
      stream += packet(static_cast<std::uint8_t>(k), {900, 901, 902, 903, 904, 905, 906, 907 + k});
      stream += packet(static_cast<std::uint8_t>(k + 1), {100, 101, 102, 103, 104, 105, 106, 107 + k});
    }
    // Pair 4 (8, 9) loses its Daisy half: the whole sample is lost.
    stream += packet(9, {1, 1, 1, 1, 1, 1, 1, 1});
    stream += packet(10, {950, 0, 0, 0, 0, 0, 0, 0}) + packet(11, {150, 0, 0, 0, 0, 0, 0, 0});
    h.feed(stream);
    QCOMPARE(h.sampleCount(), std::size_t{5});
    const auto all = h.allSamples();
    const double s = uvPerCount(24);
    QVERIFY(std::abs(all[0] - 100 * s) < 1e-3);  // sample 0, channel 1
    QVERIFY(std::abs(all[8] - 900 * s) < 1e-3);  // sample 0, channel 9
    QVERIFY(std::abs(all[16 * 3 + 15] - 913 * s) < 1e-3);
    QVERIFY(std::abs(all[16 * 4 + 8] - 950 * s) < 1e-3);
    QCOMPARE(h.blocks.front().modulus, 128u);
    QCOMPARE(h.blocks.front().channels, 16u);
    QCOMPARE(h.blocks.front().sequence, 0u);
    QCOMPARE(h.blocks.back().sequence, 5u);
    QCOMPARE(h.lostFromSequence(), 1u);
  }

  void badSettingsAreRefusedWithAReason() {
    DriverHarness badGain(R"({"gain": 3})");
    QVERIFY(!badGain.created());
    QVERIFY(badGain.createError.find("gain") != std::string::npos);
    DriverHarness notJson("{gain");
    QVERIFY(!notJson.created());
    QVERIFY(!notJson.createError.empty());
  }

  void startIsRefusedBeforeTheResetReplyOrAtAnotherRate() {
    DriverHarness h;
    h.start();
    QCOMPARE(h.encode(TB_CMD_EMG_START, 1), QByteArray());
    QVERIFY(h.replyFor(1) && !h.replyFor(1)->ok);
    h.feed(QByteArray(kResetReply));
    QCOMPARE(h.encode(TB_CMD_EMG_START, 2, 1000), QByteArray());
    QVERIFY(h.replyFor(2) && !h.replyFor(2)->ok);
    QCOMPARE(h.encode(TB_CMD_EMG_START, 3, 250, 8), QByteArray("b"));
    QCOMPARE(h.encode(TB_CMD_EMG_STOP, 4), QByteArray("s"));
    QVERIFY(h.replyFor(4) && h.replyFor(4)->ok);
    h.feed(packet(0, countsFor(0)));
    QCOMPARE(h.sampleCount(), std::size_t{0});  // stopped: packets are not samples
  }

  void startWithoutPacketsTimesOut() {
    DriverHarness h;
    h.tick(1'000);
    identify(h);
    h.tick(2'000);
    startStreaming(h);
    h.tick(500'000);
    QVERIFY(!h.replyFor(5));
    h.tick(1'200'000);
    QVERIFY(h.replyFor(5) && !h.replyFor(5)->ok);
  }

  void silentBoardIsReportedAndResetAgain() {
    DriverHarness h;
    h.start();
    h.tick(10);
    h.tick(3'100'000);
    QCOMPARE(h.faults.size(), std::size_t{1});
    QVERIFY(h.faults[0].active);
    QCOMPARE(h.sent, QByteArray("v"));
    h.feed(QByteArray(kResetReply));
    QCOMPARE(h.faults.size(), std::size_t{2});
    QVERIFY(!h.faults[1].active);
  }

  void laserCommandsAreUnsupported() {
    DriverHarness h;
    h.encode(TB_CMD_EMISSION_OFF);
    QCOMPARE(h.lastStatus, TB_UNSUPPORTED);
    h.encode(TB_CMD_KEEP_ALIVE);
    QCOMPARE(h.lastStatus, TB_UNSUPPORTED);
  }

  void againstTheSimulatedBoard_data() {
    QTest::addColumn<bool>("daisy");
    QTest::addColumn<int>("gain");
    QTest::newRow("8 channels, gain 24") << false << 24;
    QTest::newRow("8 channels, gain 1") << false << 1;
    QTest::newRow("Daisy, gain 8") << true << 8;
  }
  void againstTheSimulatedBoard() {
    QFETCH(bool, daisy);
    QFETCH(int, gain);
    using namespace tautband::devices::sim;
    CytonFirmwareConfig config;
    config.daisy = daisy;
    CytonFirmware board(config, {});
    DriverHarness h(QStringLiteral(R"({"gain": %1})").arg(gain).toStdString());
    FirmwareLoop loop(h, board);
    loop.toDevice(h.start());
    QCOMPARE(h.infos.size(), std::size_t{1});
    loop.pump();  // the channel settings reach the board
    const std::uint32_t channels = daisy ? 16 : 8;
    for (std::uint32_t ch = 0; ch < channels; ++ch)
      QCOMPARE(board.gain(ch), static_cast<std::uint32_t>(gain));
    loop.toDevice(h.encode(TB_CMD_EMG_START, 1));
    QVERIFY(board.streaming());
    loop.run(2'000'000);
    QVERIFY(h.replyFor(1) && h.replyFor(1)->ok);
    QVERIFY2(std::abs(static_cast<double>(h.sampleCount()) - (daisy ? 250 : 500)) <= 2,
             qPrintable(QString::number(h.sampleCount())));
    QCOMPARE(h.lostFromSequence(), 0u);
    QCOMPARE(h.blocks.front().channels, channels);
    // The board sends 10 µV rms noise: right only if the driver scales with the gain it set.
    for (std::uint32_t ch = 0; ch < channels; ++ch) {
      const double r = rms(h.allSamples(), channels, ch);
      QVERIFY2(r > 8 && r < 12, qPrintable(QStringLiteral("channel %1: %2 uV rms").arg(ch + 1).arg(r)));
    }
    // A corrupted packet is dropped and shows as one lost sample (Daisy: a pair).
    h.blocks.clear();
    loop.run(20'000);
    loop.corruptNextUnit();
    loop.run(200'000);
    QCOMPARE(h.lostFromSequence(), 1u);
    board.injectLtr();
    h.blocks.clear();
    loop.run(200'000);
    double peak = 0;
    const auto all = h.allSamples();
    for (std::size_t i = 0; i < all.size(); i += channels) peak = std::max(peak, std::abs(double{all[i]}));
    QVERIFY2(peak > 300, qPrintable(QString::number(peak)));
    loop.toDevice(h.encode(TB_CMD_EMG_STOP, 2));
    QVERIFY(!board.streaming());
  }

  void hostileInputNeverCrashes() {
    std::mt19937 rng(42);
    for (int round = 0; round < 20; ++round) {
      DriverHarness h(round % 2 ? R"({"gain": 2})" : "{}");
      h.start();
      if (round % 3 == 0) h.feed(QByteArray(round % 2 ? kResetReplyDaisy : kResetReply));
      if (round % 4 == 0) h.encode(TB_CMD_EMG_START, 1);
      QByteArray junk(200'000, '\0');
      for (auto& c : junk) c = static_cast<char>(rng() % 4 == 0 ? 0xA0 : rng());
      for (qsizetype at = 0; at < junk.size();) {
        const auto n = std::min<qsizetype>(1 + rng() % 700, junk.size() - at);
        QCOMPARE(h.feed(junk.mid(at, n)), TB_OK);
        at += n;
        h.tick(static_cast<std::uint64_t>(at) * 10);
      }
      h.feed(packet(1, countsFor(1)).left(20));  // truncated at the end
      h.feed(QByteArray(100'000, 'x'));          // oversize text without "$$$"
      for (const auto& b : h.blocks) QVERIFY(b.values.size() == std::size_t{b.samples} * b.channels);
    }
  }
};

QTEST_GUILESS_MAIN(CytonDriverTest)
#include "test_driver_cyton.moc"
