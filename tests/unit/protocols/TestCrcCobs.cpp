// CRC-32C parameters and COBS rules as docs/PROTOCOL.md states them.

#include <QtTest>

#include <cstdint>
#include <random>
#include <vector>

#include "tautband/protocols/Cobs.h"
#include "tautband/protocols/Crc32c.h"

using namespace tautband::protocols;

namespace {

// Bit-at-a-time CRC-32C straight from the parameters, independent of the
// library's slice-by-8 tables.
std::uint32_t referenceCrc32c(const std::vector<std::uint8_t>& data) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::uint8_t b : data) {
    crc ^= b;
    for (int i = 0; i < 8; ++i) crc = (crc & 1u) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
  }
  return crc ^ 0xFFFFFFFFu;
}

std::vector<std::uint8_t> bytesOf(const char* text) {
  std::vector<std::uint8_t> v;
  for (const char* p = text; *p; ++p) v.push_back(static_cast<std::uint8_t>(*p));
  return v;
}

enum class Fill { NonZero, Zeros, Random, ZeroEvery254, ZeroEvery255 };

std::vector<std::uint8_t> makeData(std::size_t n, Fill fill, std::mt19937& rng) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) {
    switch (fill) {
      case Fill::NonZero:
        v[i] = static_cast<std::uint8_t>(1 + (i % 255));
        break;
      case Fill::Zeros:
        v[i] = 0;
        break;
      case Fill::Random:
        v[i] = static_cast<std::uint8_t>(rng());
        break;
      case Fill::ZeroEvery254:
        v[i] = (i % 254 == 253) ? 0 : 0x55;
        break;
      case Fill::ZeroEvery255:
        v[i] = (i % 255 == 254) ? 0 : 0xAA;
        break;
    }
  }
  return v;
}

}  // namespace

class TestCrcCobs : public QObject {
  Q_OBJECT

 private slots:
  void crcCheckValue() {
    QCOMPARE(crc32c(bytesOf("123456789")), 0xE3069283u);
    QCOMPARE(kCrc32cCheckValue, 0xE3069283u);
    QCOMPARE(crc32c({}), 0x00000000u);
  }

  void crcMatchesBitwiseReferenceOnRandomData() {
    std::mt19937 rng(1234);
    for (std::size_t n = 0; n < 300; ++n) {
      const auto data = makeData(n, Fill::Random, rng);
      QCOMPARE(crc32c(data), referenceCrc32c(data));
    }
  }

  void crcIncrementalEqualsOneShot() {
    std::mt19937 rng(99);
    const auto data = makeData(1000, Fill::Random, rng);
    for (int trial = 0; trial < 50; ++trial) {
      const std::size_t cut = rng() % data.size();
      std::uint32_t state = 0xFFFFFFFFu;
      state = crc32cUpdate(state, std::span(data).first(cut));
      state = crc32cUpdate(state, std::span(data).subspan(cut));
      QCOMPARE(state ^ 0xFFFFFFFFu, crc32c(data));
    }
  }

  void cobsKnownEncodings() {
    // Examples from the COBS literature, as listed in docs/PROTOCOL.md §4.
    auto enc = [](std::vector<std::uint8_t> in) {
      std::vector<std::uint8_t> out;
      cobsEncode(in, out);
      return out;
    };
    QCOMPARE(enc({}), (std::vector<std::uint8_t>{0x01}));
    QCOMPARE(enc({0x00}), (std::vector<std::uint8_t>{0x01, 0x01}));
    QCOMPARE(enc({0x00, 0x00}), (std::vector<std::uint8_t>{0x01, 0x01, 0x01}));
    QCOMPARE(enc({0x11, 0x22, 0x00, 0x33}), (std::vector<std::uint8_t>{0x03, 0x11, 0x22, 0x02, 0x33}));
    QCOMPARE(enc({0x11, 0x00, 0x00, 0x00}), (std::vector<std::uint8_t>{0x02, 0x11, 0x01, 0x01, 0x01}));
    std::vector<std::uint8_t> run254(254);
    for (std::size_t i = 0; i < run254.size(); ++i) run254[i] = static_cast<std::uint8_t>(i + 1);
    const auto e254 = enc(run254);
    QCOMPARE(e254.size(), std::size_t{255});
    QCOMPARE(e254.front(), std::uint8_t{0xFF});
    auto run255 = run254;
    run255.push_back(0xFF);
    const auto e255 = enc(run255);
    QCOMPARE(e255.size(), std::size_t{257});
    QCOMPARE(e255[255], std::uint8_t{0x02});
    QCOMPARE(e255[256], std::uint8_t{0xFF});
  }

  void cobsRoundTripAllLengthsTo600() {
    std::mt19937 rng(42);
    for (Fill fill : {Fill::NonZero, Fill::Zeros, Fill::Random, Fill::ZeroEvery254, Fill::ZeroEvery255}) {
      for (std::size_t n = 0; n <= 600; ++n) {
        const auto data = makeData(n, fill, rng);
        std::vector<std::uint8_t> encoded{0xEE};  // appends, never overwrites
        cobsEncode(data, encoded);
        QCOMPARE(encoded.front(), std::uint8_t{0xEE});
        const std::span<const std::uint8_t> body = std::span(encoded).subspan(1);
        QVERIFY2(std::find(body.begin(), body.end(), 0) == body.end(), "COBS output must have no 0x00");
        QVERIFY(body.size() <= cobsMaxEncodedSize(n));
        if (fill == Fill::NonZero) QCOMPARE(body.size(), cobsMaxEncodedSize(n));  // worst case is exact
        const auto decoded = cobsDecode(body);
        QVERIFY2(decoded.has_value(), qPrintable(QStringLiteral("length %1").arg(n)));
        QCOMPARE(*decoded, data);
      }
    }
  }

  void cobsWorstCaseFormula() {
    QCOMPARE(cobsMaxEncodedSize(0), std::size_t{1});
    QCOMPARE(cobsMaxEncodedSize(1), std::size_t{2});
    QCOMPARE(cobsMaxEncodedSize(254), std::size_t{255});
    QCOMPARE(cobsMaxEncodedSize(255), std::size_t{257});
    QCOMPARE(cobsMaxEncodedSize(508), std::size_t{510});
    QCOMPARE(cobsMaxEncodedSize(509), std::size_t{512});
  }

  void cobsDecodeRejectsMalformed() {
    QVERIFY(!cobsDecode(std::vector<std::uint8_t>{}).has_value());
    QVERIFY(!cobsDecode(std::vector<std::uint8_t>{0x00}).has_value());
    QVERIFY(!cobsDecode(std::vector<std::uint8_t>{0x03, 0x11}).has_value());        // block cut short
    QVERIFY(!cobsDecode(std::vector<std::uint8_t>{0x03, 0x11, 0x00}).has_value());  // zero inside block
    // A trailing 0x01 after a full 0xFF block is the other common encoder
    // output for 254 non-zero bytes; both decode to the same data.
    std::vector<std::uint8_t> withTrailer{0xFF};
    for (int i = 1; i <= 254; ++i) withTrailer.push_back(static_cast<std::uint8_t>(i));
    withTrailer.push_back(0x01);
    const auto decoded = cobsDecode(withTrailer);
    QVERIFY(decoded.has_value());
    QCOMPARE(decoded->size(), std::size_t{254});
  }
};

QTEST_APPLESS_MAIN(TestCrcCobs)
#include "TestCrcCobs.moc"
