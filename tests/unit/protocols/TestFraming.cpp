// Frame layer: round trips, every error kind counted, resync, chunking, and
// no heap allocation inside FrameDecoder::feed.

#include <QtTest>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <random>
#include <vector>

#include "tautband/protocols/Framing.h"

using namespace tautband::protocols;

// Counting global operator new: lets a test prove feed() does not allocate.
namespace {
std::atomic<long> gAllocations{0};
}
void* operator new(std::size_t size) {
  gAllocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes randomBytes(std::size_t n, std::mt19937& rng) {
  Bytes v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(rng());
  return v;
}

Bytes frameOf(const Bytes& payload) {
  Bytes out;
  appendFrame(payload, out);
  return out;
}

// Feeds everything at once and collects the delivered payloads.
std::vector<Bytes> decodeAll(FrameDecoder& decoder, const Bytes& stream) {
  std::vector<Bytes> frames;
  decoder.feed(stream, [&](std::span<const std::uint8_t> p) { frames.emplace_back(p.begin(), p.end()); });
  return frames;
}

// Builds a raw frame from an arbitrary decoded body (payload + given CRC bytes).
Bytes rawFrame(const Bytes& decoded) {
  Bytes out;
  cobsEncode(decoded, out);
  out.push_back(0x00);
  return out;
}

}  // namespace

class TestFraming : public QObject {
  Q_OBJECT

 private slots:
  void sizeConstants() {
    QCOMPARE(maxEncodedFrameSize(1), std::size_t{5 + 1 + 1});
    QCOMPARE(maxEncodedFrameSize(250), std::size_t{254 + 1 + 1});
    QCOMPARE(maxEncodedFrameSize(251), std::size_t{255 + 2 + 1});
    QCOMPARE(kMaxEncodedFrameBytes, std::size_t{4100 + 17 + 1});
  }

  void frameLayoutByteByByte() {
    // payload 01 02 -> CRC-32C little-endian appended, COBS, 0x00.
    const Bytes payload{0x01, 0x02};
    const std::uint32_t crc = crc32c(payload);
    Bytes decoded = payload;
    for (int i = 0; i < 4; ++i) decoded.push_back(static_cast<std::uint8_t>(crc >> (8 * i)));
    QCOMPARE(frameOf(payload), rawFrame(decoded));
    const Bytes f = frameOf(payload);
    QCOMPARE(f.back(), std::uint8_t{0x00});
    QCOMPARE(std::count(f.begin(), f.end(), 0), 1);
  }

  void roundTripAllLengths() {
    std::mt19937 rng(7);
    for (std::size_t n = 1; n <= 600; ++n) {
      const Bytes payload = randomBytes(n, rng);
      const Bytes frame = frameOf(payload);
      QVERIFY(frame.size() <= maxEncodedFrameSize(n));
      FrameDecoder decoder;
      const auto frames = decodeAll(decoder, frame);
      QCOMPARE(frames.size(), std::size_t{1});
      QCOMPARE(frames[0], payload);
      QCOMPARE(decoder.stats().bytes, frame.size());
      QCOMPARE(decoder.stats().errors(), std::uint64_t{0});
    }
  }

  void worstCaseSizeIsReached() {
    // A payload with no zero and a CRC with no zero byte hits the bound exactly.
    for (std::size_t n : {250u, 251u, 504u, 505u, 4096u}) {
      Bytes payload(n, 0x5A);
      for (std::uint8_t tweak = 1; tweak != 0; ++tweak) {
        payload[0] = tweak;
        const std::uint32_t crc = crc32c(payload);
        if ((crc & 0xFFu) && (crc & 0xFF00u) && (crc & 0xFF0000u) && (crc & 0xFF000000u)) break;
      }
      QCOMPARE(frameOf(payload).size(), maxEncodedFrameSize(n));
    }
  }

  void maxPayloadAcceptedOneMoreIsOversize() {
    std::mt19937 rng(3);
    FrameDecoder decoder(64);
    const Bytes ok = randomBytes(64, rng);
    const Bytes big = randomBytes(65, rng);
    Bytes stream = frameOf(big);
    const Bytes okFrame = frameOf(ok);
    stream.insert(stream.end(), okFrame.begin(), okFrame.end());
    const auto frames = decodeAll(decoder, stream);
    QCOMPARE(frames.size(), std::size_t{1});
    QCOMPARE(frames[0], ok);
    QCOMPARE(decoder.stats().oversize, std::uint64_t{1});
    QCOMPARE(decoder.stats().frames, std::uint64_t{1});
  }

  void everyErrorKindCounted() {
    std::mt19937 rng(11);
    const Bytes good = randomBytes(40, rng);
    Bytes stream;
    appendSyncByte(stream);                                 // empty (sync)
    stream.push_back(0x00);                                 // empty
    stream.insert(stream.end(), {0x03, 0x11, 0x22, 0x00});  // decodes to 2 bytes: too short
    stream.insert(stream.end(), {0x01, 0x00});              // decodes to 0 bytes: too short
    stream.insert(stream.end(), {0x05, 0x11, 0x00});        // 0x00 inside a block: COBS error
    Bytes badCrc = good;                                    // payload + wrong CRC
    badCrc.insert(badCrc.end(), {0xDE, 0xAD, 0xBE, 0xEF});
    const Bytes badCrcFrame = rawFrame(badCrc);
    stream.insert(stream.end(), badCrcFrame.begin(), badCrcFrame.end());
    Bytes flippedBody = good;  // one bit flipped in transit
    const std::uint32_t goodCrc = crc32c(good);
    for (int i = 0; i < 4; ++i) flippedBody.push_back(static_cast<std::uint8_t>(goodCrc >> (8 * i)));
    flippedBody[5] ^= 0x10;
    const Bytes flipped = rawFrame(flippedBody);
    stream.insert(stream.end(), flipped.begin(), flipped.end());
    const Bytes huge(kMaxPayloadBytes + 100, 0x42);  // oversize
    const Bytes hugeFrame = frameOf(huge);
    stream.insert(stream.end(), hugeFrame.begin(), hugeFrame.end());
    const Bytes goodFrame = frameOf(good);
    stream.insert(stream.end(), goodFrame.begin(), goodFrame.end());

    FrameDecoder decoder;
    const auto frames = decodeAll(decoder, stream);
    const FrameStats& s = decoder.stats();
    QCOMPARE(frames.size(), std::size_t{1});
    QCOMPARE(frames[0], good);
    QCOMPARE(s.bytes, stream.size());
    QCOMPARE(s.frames, std::uint64_t{1});
    QCOMPARE(s.emptyFrames, std::uint64_t{2});
    QCOMPARE(s.tooShort, std::uint64_t{2});
    QCOMPARE(s.cobsErrors, std::uint64_t{1});
    QCOMPARE(s.crcErrors, std::uint64_t{2});
    QCOMPARE(s.oversize, std::uint64_t{1});
    QCOMPARE(s.errors(), std::uint64_t{6});
  }

  void resyncAfterGarbage() {
    std::mt19937 rng(5);
    const Bytes a = randomBytes(100, rng);
    const Bytes b = randomBytes(33, rng);
    Bytes stream = randomBytes(777, rng);  // line noise, joins mid-frame
    appendSyncByte(stream);
    const Bytes fa = frameOf(a);
    stream.insert(stream.end(), fa.begin(), fa.end());
    const Bytes noise = randomBytes(50, rng);
    stream.insert(stream.end(), noise.begin(), noise.end());
    stream.push_back(0x00);
    const Bytes fb = frameOf(b);
    stream.insert(stream.end(), fb.begin(), fb.end());

    FrameDecoder decoder;
    const auto frames = decodeAll(decoder, stream);
    QCOMPARE(frames.size(), std::size_t{2});
    QCOMPARE(frames[0], a);
    QCOMPARE(frames[1], b);
    QVERIFY(decoder.stats().errors() >= 2);  // the noise fragments, whatever they decoded to
  }

  void truncatedFrameThenSyncRecovers() {
    // A sender that restarts mid-frame: the partial frame is ended by the
    // sync byte of the new session.
    std::mt19937 rng(8);
    const Bytes a = randomBytes(200, rng);
    const Bytes fa = frameOf(a);
    Bytes stream(fa.begin(), fa.begin() + 90);
    appendSyncByte(stream);
    stream.insert(stream.end(), fa.begin(), fa.end());
    FrameDecoder decoder;
    const auto frames = decodeAll(decoder, stream);
    QCOMPARE(frames.size(), std::size_t{1});
    QCOMPARE(frames[0], a);
    QCOMPARE(decoder.stats().errors(), std::uint64_t{1});
  }

  void splitFeedingByteByByteAndRandomChunks() {
    std::mt19937 rng(21);
    std::vector<Bytes> payloads;
    Bytes stream;
    appendSyncByte(stream);
    for (int i = 0; i < 60; ++i) {
      payloads.push_back(randomBytes(1 + rng() % 700, rng));
      appendFrame(payloads.back(), stream);
    }
    for (int mode = 0; mode < 2; ++mode) {
      FrameDecoder decoder;
      std::vector<Bytes> got;
      auto sink = [&](std::span<const std::uint8_t> p) { got.emplace_back(p.begin(), p.end()); };
      std::size_t pos = 0;
      while (pos < stream.size()) {
        const std::size_t n = mode == 0 ? 1 : std::min<std::size_t>(1 + rng() % 300, stream.size() - pos);
        decoder.feed(std::span(stream).subspan(pos, n), sink);
        pos += n;
      }
      QCOMPARE(got, payloads);
      QCOMPARE(decoder.stats().bytes, stream.size());
      QCOMPARE(decoder.stats().emptyFrames, std::uint64_t{1});
      QCOMPARE(decoder.stats().errors(), std::uint64_t{0});
    }
  }

  void acceptsTrailingOneAfterFullBlock() {
    // 250 payload bytes + 4 CRC bytes = one full 254-byte run. Our encoder
    // writes FF <254 bytes> 00; other encoders add a 01 block: FF <254> 01 00.
    // Receivers accept both.
    Bytes payload(250, 0x44);
    Bytes body;
    for (std::uint8_t fill = 0x44;; ++fill) {
      std::fill(payload.begin(), payload.end(), fill);
      const std::uint32_t crc = crc32c(payload);
      body = payload;
      for (int i = 0; i < 4; ++i) body.push_back(static_cast<std::uint8_t>(crc >> (8 * i)));
      if (std::find(body.begin(), body.end(), 0) == body.end()) break;
    }
    Bytes plain{0xFF};
    plain.insert(plain.end(), body.begin(), body.end());
    Bytes stream = plain;
    stream.push_back(0x00);
    QCOMPARE(frameOf(payload), stream);
    stream.insert(stream.end(), plain.begin(), plain.end());
    stream.push_back(0x01);
    stream.push_back(0x00);
    FrameDecoder decoder;
    const auto both = decodeAll(decoder, stream);
    QCOMPARE(both.size(), std::size_t{2});
    QCOMPARE(both[0], payload);
    QCOMPARE(both[1], payload);
  }

  void resetDropsPartialFrame() {
    std::mt19937 rng(2);
    const Bytes a = randomBytes(80, rng);
    const Bytes fa = frameOf(a);
    FrameDecoder decoder;
    int count = 0;
    decoder.feed(std::span(fa).first(40), [&](auto) { ++count; });
    decoder.reset();
    decoder.feed(fa, [&](auto) { ++count; });
    QCOMPARE(count, 1);
    QCOMPARE(decoder.stats().errors(), std::uint64_t{0});
  }

  void feedNeverAllocates() {
    std::mt19937 rng(17);
    Bytes stream;
    for (int i = 0; i < 200; ++i) {
      const Bytes p = randomBytes(1 + rng() % 4000, rng);
      appendFrame(p, stream);
      const Bytes noise = randomBytes(rng() % 64, rng);
      stream.insert(stream.end(), noise.begin(), noise.end());
      stream.push_back(0x00);
    }
    const Bytes huge(kMaxPayloadBytes * 3, 0x11);  // oversize path too
    stream.insert(stream.end(), huge.begin(), huge.end());
    stream.push_back(0);
    FrameDecoder decoder;
    std::uint64_t delivered = 0;
    const long before = gAllocations.load();
    for (std::size_t pos = 0; pos < stream.size(); pos += 97) {
      decoder.feed(std::span(stream).subspan(pos, std::min<std::size_t>(97, stream.size() - pos)),
                   [&](std::span<const std::uint8_t> p) { delivered += p.size() > 0; });
    }
    const long after = gAllocations.load();
    QCOMPARE(after - before, 0L);
    QCOMPARE(delivered, std::uint64_t{200});
    QCOMPARE(decoder.stats().oversize, std::uint64_t{1});
  }
};

QTEST_APPLESS_MAIN(TestFraming)
#include "TestFraming.moc"
