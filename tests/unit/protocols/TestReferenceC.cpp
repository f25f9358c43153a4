// The firmware reference C code (protocols/reference/, printed in
// docs/PROTOCOL.md) must agree byte for byte with the host implementation.

#include <QtTest>

#include <cstdint>
#include <random>
#include <vector>

#include "tautband/protocols/Framing.h"
#include "tautband_frame.h"

using namespace tautband::protocols;
using Bytes = std::vector<std::uint8_t>;

namespace {

Bytes randomBytes(std::size_t n, std::mt19937& rng, int zeroPercent) {
  Bytes v(n);
  for (auto& b : v)
    b = static_cast<std::uint8_t>(static_cast<int>(rng() % 100) < zeroPercent ? 0 : 1 + rng() % 255);
  return v;
}

struct Tally {
  std::vector<Bytes> frames;
  std::uint64_t empty = 0, tooShort = 0, cobs = 0, crc = 0, oversize = 0;
};

Tally decodeWithReference(const Bytes& stream) {
  static tb_decoder decoder;  // 4 KiB buffer: keep it off the stack like firmware would
  tb_decoder_reset(&decoder);
  Tally t;
  for (std::uint8_t b : stream) {
    std::size_t len = 0;
    switch (tb_decoder_push(&decoder, b, &len)) {
      case TB_NEED_MORE:
        break;
      case TB_FRAME:
        t.frames.emplace_back(decoder.buf, decoder.buf + len);
        break;
      case TB_EMPTY:
        ++t.empty;
        break;
      case TB_TOO_SHORT:
        ++t.tooShort;
        break;
      case TB_COBS_ERROR:
        ++t.cobs;
        break;
      case TB_CRC_ERROR:
        ++t.crc;
        break;
      case TB_OVERSIZE:
        ++t.oversize;
        break;
    }
  }
  return t;
}

}  // namespace

class TestReferenceC : public QObject {
  Q_OBJECT

 private slots:
  void constantsAgree() {
    QCOMPARE(std::size_t{TB_MAX_PAYLOAD}, kMaxPayloadBytes);
    for (std::size_t n : {0u, 1u, 249u, 250u, 251u, 1000u, 4096u})
      QCOMPARE(std::size_t{TB_MAX_FRAME(n)}, maxEncodedFrameSize(n));
  }

  void crcAgrees() {
    const std::uint8_t check[] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
    QCOMPARE(tb_crc32c(check, sizeof check), 0xE3069283u);
    std::mt19937 rng(1);
    for (std::size_t n = 0; n < 600; n += 7) {
      const Bytes d = randomBytes(n, rng, 10);
      QCOMPARE(tb_crc32c(d.data(), d.size()), crc32c(d));
    }
  }

  void encodeAgrees() {
    std::mt19937 rng(2);
    std::vector<std::size_t> lengths;
    for (std::size_t n = 0; n <= 600; ++n) lengths.push_back(n);
    lengths.push_back(kMaxPayloadBytes);
    for (std::size_t n : lengths) {
      for (int zeros : {0, 5, 50}) {
        const Bytes payload = randomBytes(n, rng, zeros);
        Bytes expected;
        appendFrame(payload, expected);
        Bytes out(TB_MAX_FRAME(n));
        const std::size_t len = tb_frame_encode(payload.data(), payload.size(), out.data(), out.size());
        out.resize(len);
        QCOMPARE(out, expected);
      }
    }
    Bytes tooSmall(8);
    const std::uint8_t p[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    QCOMPARE(tb_frame_encode(p, sizeof p, tooSmall.data(), tooSmall.size()), std::size_t{0});
  }

  void decodeClassifiesLikeHost() {
    std::mt19937 rng(3);
    for (int trial = 0; trial < 300; ++trial) {
      Bytes stream;
      appendSyncByte(stream);
      for (int f = 0; f < 5; ++f) {
        Bytes frame;
        appendFrame(randomBytes(1 + rng() % (trial % 10 == 0 ? 5000 : 400), rng, 5), frame);
        const int damage = static_cast<int>(rng() % 6);
        if (damage == 1) frame[rng() % frame.size()] ^= static_cast<std::uint8_t>(1 + rng() % 255);
        if (damage == 2) frame.resize(rng() % frame.size());
        if (damage == 3) frame.insert(frame.begin() + static_cast<long>(rng() % frame.size()), 0x00);
        stream.insert(stream.end(), frame.begin(), frame.end());
        if (damage == 4) stream.push_back(0x00);
      }
      stream.push_back(0x00);
      FrameDecoder host;
      std::vector<Bytes> hostFrames;
      host.feed(stream,
                [&](std::span<const std::uint8_t> p) { hostFrames.emplace_back(p.begin(), p.end()); });
      const Tally ref = decodeWithReference(stream);
      QCOMPARE(ref.frames, hostFrames);
      QCOMPARE(ref.empty, host.stats().emptyFrames);
      QCOMPARE(ref.tooShort, host.stats().tooShort);
      QCOMPARE(ref.cobs, host.stats().cobsErrors);
      QCOMPARE(ref.crc, host.stats().crcErrors);
      QCOMPARE(ref.oversize, host.stats().oversize);
    }
  }
};

QTEST_APPLESS_MAIN(TestReferenceC)
#include "TestReferenceC.moc"
