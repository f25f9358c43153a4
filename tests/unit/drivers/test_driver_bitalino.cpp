// BITalino driver through its C table: version handshake, command bytes,
// the frame layout and CRC-4 against an independent bit-serial CRC, EMG
// transfer function, split frames, losses modulo 16, CRC errors, resync.
#include "DriverHarness.h"
#include "FirmwareLoop.h"
#include "devices/sim/BitalinoFirmware.h"

#include <QTest>

#include <array>
#include <random>

namespace {

// Bit-serial CRC-4, generator x^4 + x + 1 (0b10011), over the frame's nibbles
// MSB first with the CRC nibble taken as 0 (the remainder of M(x) * x^4):
// independent of the driver's table.
std::uint8_t bitSerialCrc4(const QByteArray& frame) {
  std::uint32_t reg = 0;
  auto shiftIn = [&](std::uint32_t nibble) {
    for (int bit = 3; bit >= 0; --bit) {
      reg = (reg << 1) | ((nibble >> bit) & 1);
      if (reg & 0x10) reg ^= 0x13;
    }
  };
  for (qsizetype i = 0; i < frame.size(); ++i) {
    const auto b = static_cast<std::uint8_t>(frame[i]);
    shiftIn(b >> 4);
    shiftIn(i + 1 < frame.size() ? (b & 0x0F) : 0);
  }
  return static_cast<std::uint8_t>(reg);
}

// The frame layout of PLUX's C++ API (bitalino.cpp BITalino::read), written
// the other way round: analog values of the first `channels` slots.
QByteArray frame(std::uint8_t seq, const std::vector<std::uint16_t>& a) {
  const auto channels = a.size();
  const qsizetype n = static_cast<qsizetype>(channels + 2 + ((channels >= 3 && channels <= 5) ? 1 : 0));
  std::vector<std::uint8_t> b(static_cast<std::size_t>(n), 0);
  auto at = [&](qsizetype fromEnd) -> std::uint8_t& { return b[static_cast<std::size_t>(n - fromEnd)]; };
  at(1) = static_cast<std::uint8_t>(seq << 4);
  at(2) |= static_cast<std::uint8_t>((a[0] >> 6) & 0x0F);
  at(3) |= static_cast<std::uint8_t>((a[0] & 0x3F) << 2);
  if (channels > 1) {
    at(3) |= static_cast<std::uint8_t>((a[1] >> 8) & 0x03);
    at(4) |= static_cast<std::uint8_t>(a[1] & 0xFF);
  }
  if (channels > 2) {
    at(5) |= static_cast<std::uint8_t>(a[2] >> 2);
    at(6) |= static_cast<std::uint8_t>((a[2] & 0x03) << 6);
  }
  if (channels > 3) {
    at(6) |= static_cast<std::uint8_t>((a[3] >> 4) & 0x3F);
    at(7) |= static_cast<std::uint8_t>((a[3] & 0x0F) << 4);
  }
  if (channels > 4) {
    at(7) |= static_cast<std::uint8_t>((a[4] >> 2) & 0x0F);
    at(8) |= static_cast<std::uint8_t>((a[4] & 0x03) << 6);
  }
  if (channels > 5) at(8) |= static_cast<std::uint8_t>(a[5] & 0x3F);
  QByteArray f(reinterpret_cast<const char*>(b.data()), n);
  f[n - 1] = static_cast<char>((b.back() & 0xF0) | bitSerialCrc4(f));
  return f;
}

double emgUv(double adc, int bits, double gain = 1009) {
  return (adc / (1 << bits) - 0.5) * 3.3 / gain * 1e6;
}

void identify(DriverHarness& h) {
  QCOMPARE(h.start(), QByteArray::fromHex("0007"));
  h.feed(QByteArray::fromHex("13a5ff") + "BITal" + "BITalino_v5.1\r\n");
  QCOMPARE(h.infos.size(), std::size_t{1});
}

std::vector<std::uint16_t> values1(int k) {
  return {static_cast<std::uint16_t>((k * 37) % 1024)};
}

}  // namespace

class BitalinoDriverTest : public QObject {
  Q_OBJECT

 private slots:
  void versionReplyIdentifiesTheBoard() {
    DriverHarness h;
    identify(h);
    const auto& info = h.infos[0];
    QCOMPARE(info.vendor, std::string("PLUX"));
    QCOMPARE(info.firmware, std::string("BITalino_v5.1"));
    QCOMPARE(info.model, std::string("BITalino (r)evolution"));
    QCOMPARE(info.appliedPart, TB_APPLIED_PART_NONE);
    QCOMPARE(info.channels, 1u);
    QCOMPARE(info.rateHz, 1000u);
    QCOMPARE(info.resolutionBits, 10u);
  }

  void startAndStopBytes_data() {
    QTest::addColumn<QString>("settings");
    QTest::addColumn<int>("rate");
    QTest::addColumn<int>("channels");
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("A1 at 1000 Hz") << "{}" << 0 << 0 << QByteArray::fromHex("c305");
    QTest::newRow("A1+A2 at 100") << R"({"channels":["A1","A2"]})" << 100 << 0 << QByteArray::fromHex("830d");
    QTest::newRow("A2+A4 at 10") << R"({"channels":["A2","A4"]})" << 10 << 0 << QByteArray::fromHex("4329");
    QTest::newRow("6 channels at 1") << "{}" << 1 << 6 << QByteArray::fromHex("03fd");
  }
  void startAndStopBytes() {
    QFETCH(QString, settings);
    QFETCH(int, rate);
    QFETCH(int, channels);
    QFETCH(QByteArray, bytes);
    DriverHarness h(settings.toStdString());
    QVERIFY2(h.created(), h.createError.c_str());
    identify(h);
    QCOMPARE(
        h.encode(TB_CMD_EMG_START, 1, static_cast<std::uint32_t>(rate), static_cast<std::uint32_t>(channels)),
        bytes);
    QCOMPARE(h.encode(TB_CMD_EMG_STOP, 2), QByteArray::fromHex("00"));
    QVERIFY(h.replyFor(2) && h.replyFor(2)->ok);
  }

  void unsupportedRatesAreRefused() {
    DriverHarness h;
    identify(h);
    QCOMPARE(h.encode(TB_CMD_EMG_START, 1, 500), QByteArray());
    QVERIFY(h.replyFor(1) && !h.replyFor(1)->ok);
    QCOMPARE(h.encode(TB_CMD_EMG_START, 2, 1000, 7), QByteArray());
    QVERIFY(h.replyFor(2) && !h.replyFor(2)->ok);
    DriverHarness bad(R"({"rate_hz": 2000})");
    QVERIFY(!bad.created());
    DriverHarness badChannel(R"({"channels": ["A7"]})");
    QVERIFY(!badChannel.created());
  }

  void framesDecodeWithTheEmgTransferFunction() {
    DriverHarness h(R"({"channels":["A1","A2","A3","A4","A5","A6"]})");
    identify(h);
    h.encode(TB_CMD_EMG_START, 9);
    const std::vector<std::uint16_t> a = {0, 1023, 512, 300, 63, 32};
    QByteArray stream;
    for (int k = 0; k < 4; ++k) stream += frame(static_cast<std::uint8_t>(k), a);
    QCOMPARE(stream.size(), 4 * 8);
    h.feed(stream);
    QCOMPARE(h.sampleCount(), std::size_t{4});
    QVERIFY(h.replyFor(9) && h.replyFor(9)->ok);
    const auto all = h.allSamples();
    const int bits[] = {10, 10, 10, 10, 6, 6};
    for (int ch = 0; ch < 6; ++ch) {
      QVERIFY2(
          std::abs(all[ch] - emgUv(a[ch], bits[ch])) < 1e-2,
          qPrintable(QStringLiteral("ch %1: %2 vs %3").arg(ch).arg(all[ch]).arg(emgUv(a[ch], bits[ch]))));
    }
    QVERIFY(std::abs(all[2]) < 1e-3);            // mid-scale is 0 µV
    QVERIFY(std::abs(all[0] + 1635.28) < 0.01);  // -VCC/2/G = -1.635 mV
    QCOMPARE(h.blocks[0].modulus, 16u);
  }

  void everyFrameSizeFrom1To6Channels() {
    const int sizes[] = {3, 4, 6, 7, 8, 8};
    for (std::uint32_t channels = 1; channels <= 6; ++channels) {
      DriverHarness h;
      identify(h);
      h.encode(TB_CMD_EMG_START, 1, 1000, channels);
      std::vector<std::uint16_t> a(channels);
      for (std::uint32_t i = 0; i < channels; ++i)
        a[i] = static_cast<std::uint16_t>(i < 4 ? 100 + 200 * i : 10 + 20 * (i - 4));
      QByteArray stream;
      for (int k = 0; k < 20; ++k) stream += frame(static_cast<std::uint8_t>(k % 16), a);
      QCOMPARE(stream.size(), 20 * sizes[channels - 1]);
      h.feedByteByByte(stream);
      QCOMPARE(h.sampleCount(), std::size_t{20});
      QCOMPARE(h.lostFromSequence(), 0u);
      for (std::uint32_t i = 0; i < channels; ++i) {
        QVERIFY(std::abs(h.allSamples()[i] - emgUv(a[i], i < 4 ? 10 : 6)) < 1e-2);
      }
    }
  }

  void byteByByteDecodesTheSameAsWholeFrames() {
    QByteArray stream;
    for (int k = 0; k < 100; ++k) stream += frame(static_cast<std::uint8_t>(k % 16), values1(k));
    DriverHarness whole, split;
    identify(whole);
    identify(split);
    whole.encode(TB_CMD_EMG_START, 1);
    split.encode(TB_CMD_EMG_START, 1);
    whole.feed(stream);
    split.feedByteByByte(stream);
    QCOMPARE(whole.sampleCount(), std::size_t{100});
    QCOMPARE(split.allSamples(), whole.allSamples());
  }

  void lossesShowModulo16() {
    DriverHarness h;
    identify(h);
    h.encode(TB_CMD_EMG_START, 1);
    QByteArray stream;
    for (int k = 0; k < 40; ++k) {
      if (k == 20 || k == 21 || k == 22) continue;  // three frames lost on the radio
      stream += frame(static_cast<std::uint8_t>(k % 16), values1(k));
    }
    h.feed(stream);
    QCOMPARE(h.sampleCount(), std::size_t{37});
    QCOMPARE(h.lostFromSequence(), 3u);
  }

  void crcErrorCostsOnlyThatFrame() {
    DriverHarness h;
    identify(h);
    h.encode(TB_CMD_EMG_START, 1, 1000, 2);
    QByteArray stream;
    std::vector<float> expected;
    for (int k = 0; k < 30; ++k) {
      const std::vector<std::uint16_t> a = {static_cast<std::uint16_t>(k * 30),
                                            static_cast<std::uint16_t>(1000 - k)};
      QByteArray f = frame(static_cast<std::uint8_t>(k % 16), a);
      if (k == 12)
        f[1] = static_cast<char>(f[1] ^ 0x04);  // one bit flipped: CRC-4 catches it
      else
        expected.insert(expected.end(),
                        {static_cast<float>(emgUv(a[0], 10)), static_cast<float>(emgUv(a[1], 10))});
      stream += f;
    }
    h.feed(stream);
    QCOMPARE(h.sampleCount(), std::size_t{29});
    QCOMPARE(h.lostFromSequence(), 1u);
    const auto all = h.allSamples();
    for (std::size_t i = 0; i < expected.size(); ++i) QVERIFY(std::abs(all[i] - expected[i]) < 1e-2);
  }

  void resyncAfterGarbageKeepsRealFrames() {
    DriverHarness h(R"({"channels":["A1","A2","A3"]})");
    identify(h);
    h.encode(TB_CMD_EMG_START, 1);
    std::mt19937 rng(3);
    QByteArray stream;
    std::vector<std::vector<float>> truth;
    for (int k = 0; k < 400; ++k) {
      const std::vector<std::uint16_t> a = {static_cast<std::uint16_t>(rng() % 1024),
                                            static_cast<std::uint16_t>(rng() % 1024),
                                            static_cast<std::uint16_t>(rng() % 1024)};
      stream += frame(static_cast<std::uint8_t>(k % 16), a);
      truth.push_back({static_cast<float>(emgUv(a[0], 10)), static_cast<float>(emgUv(a[1], 10)),
                       static_cast<float>(emgUv(a[2], 10))});
      if (k % 10 == 5) {
        for (int i = 0, n = 1 + static_cast<int>(rng() % 13); i < n; ++i)
          stream.append(static_cast<char>(rng()));
      }
    }
    h.feed(stream);
    // Decoded samples are real frames, in order (a subsequence of the truth),
    // except what CRC-4 cannot tell from garbage: a garbage window passes a
    // CRC-4 and the sequence check by chance about once in 256 (locked on) or
    // 4096 (two frames, resyncing). Over 40 bursts that is well under 1.
    const auto all = h.allSamples();
    std::size_t next = 0;
    std::size_t bogus = 0;
    for (std::size_t s = 0; s < all.size() / 3; ++s) {
      std::size_t at = next;
      while (at < truth.size() &&
             !(std::abs(truth[at][0] - all[s * 3]) < 1e-3 && std::abs(truth[at][1] - all[s * 3 + 1]) < 1e-3 &&
               std::abs(truth[at][2] - all[s * 3 + 2]) < 1e-3)) {
        ++at;
      }
      if (at == truth.size())
        ++bogus;
      else
        next = at + 1;
    }
    qInfo("%zu of 400 frames decoded, %zu bogus", all.size() / 3, bogus);
    QVERIFY2(bogus <= 2, qPrintable(QStringLiteral("%1 bogus samples").arg(bogus)));
    // Garbage costs at most the frame it lands in and the one after.
    QVERIFY2(all.size() / 3 >= 400 - 2 * 40, qPrintable(QString::number(all.size() / 3)));
  }

  void startWithoutFramesTimesOut() {
    DriverHarness h;
    h.tick(1);
    identify(h);
    h.encode(TB_CMD_EMG_START, 4);
    h.tick(900'000);
    QVERIFY(!h.replyFor(4));
    h.tick(1'100'000);
    QVERIFY(h.replyFor(4) && !h.replyFor(4)->ok);
  }

  void laserCommandsAreUnsupported() {
    DriverHarness h;
    h.encode(TB_CMD_EMISSION_OFF);
    QCOMPARE(h.lastStatus, TB_UNSUPPORTED);
  }

  void simulatorFramesMatchTheIndependentPacker() {
    // Two independent writings of PLUX's layout (the test's and the simulator's) agree.
    std::vector<std::uint8_t> packed;
    const std::vector<std::uint16_t> a = {1, 1022, 513, 77, 63, 5};
    for (std::size_t channels = 1; channels <= 6; ++channels) {
      packed.clear();
      tautband::devices::sim::BitalinoFirmware::packFrame(9, std::span(a.data(), channels), packed);
      const QByteArray mine =
          frame(9, std::vector<std::uint16_t>(a.begin(), a.begin() + static_cast<long>(channels)));
      QCOMPARE(
          QByteArray(reinterpret_cast<const char*>(packed.data()), static_cast<qsizetype>(packed.size())),
          mine);
    }
  }

  void againstTheSimulatedBoard() {
    using namespace tautband::devices::sim;
    BitalinoFirmware board({}, {});
    DriverHarness h(R"({"channels": ["A1", "A2", "A3", "A4", "A5", "A6"]})");
    FirmwareLoop loop(h, board);
    loop.toDevice(h.start());
    QCOMPARE(h.infos.size(), std::size_t{1});
    QCOMPARE(h.infos[0].firmware, std::string("BITalino_v5.1"));
    loop.toDevice(h.encode(TB_CMD_EMG_START, 1, 1000));
    QVERIFY(board.live());
    QCOMPARE(board.channels(), 6u);
    loop.run(1'000'000);
    QVERIFY(h.replyFor(1) && h.replyFor(1)->ok);
    QVERIFY2(h.sampleCount() >= 995, qPrintable(QString::number(h.sampleCount())));
    QCOMPARE(h.lostFromSequence(), 0u);
    // 10 µV rms noise: seen through the 10-bit channels (3.2 µV steps); the
    // 6-bit ones (51 µV steps) cannot show it, which is why they are not for EMG.
    for (std::size_t ch = 0; ch < 4; ++ch) {
      const double r = rms(h.allSamples(), 6, ch);
      QVERIFY2(r > 7 && r < 14, qPrintable(QStringLiteral("A%1: %2 uV rms").arg(ch + 1).arg(r)));
    }
    h.blocks.clear();
    loop.run(20'000);
    loop.corruptNextUnit();
    loop.run(100'000);
    QCOMPARE(h.lostFromSequence(), 1u);
    board.injectLtr();
    h.blocks.clear();
    loop.run(100'000);
    double peak = 0;
    const auto all = h.allSamples();
    for (std::size_t i = 0; i < all.size(); i += 6) peak = std::max(peak, std::abs(double{all[i]}));
    QVERIFY2(peak > 300, qPrintable(QString::number(peak)));
    loop.toDevice(h.encode(TB_CMD_EMG_STOP, 2));
    QVERIFY(!board.live());
  }

  void hostileInputNeverCrashes() {
    std::mt19937 rng(11);
    for (int round = 0; round < 24; ++round) {
      DriverHarness h;
      h.start();
      if (round % 2) h.feed("BITalino_v4.2\n");
      h.encode(TB_CMD_EMG_START, 1, 1000, 1 + round % 6);
      QByteArray junk(100'000, '\0');
      for (auto& c : junk) c = static_cast<char>(rng());
      for (qsizetype at = 0; at < junk.size();) {
        const auto n = std::min<qsizetype>(1 + rng() % 300, junk.size() - at);
        QCOMPARE(h.feed(junk.mid(at, n)), TB_OK);
        at += n;
      }
      h.feed(QByteArray(50'000, 'B'));  // oversize "version"
      for (const auto& b : h.blocks) QVERIFY(b.values.size() == std::size_t{b.samples} * b.channels);
    }
  }
};

QTEST_GUILESS_MAIN(BitalinoDriverTest)
#include "test_driver_bitalino.moc"
