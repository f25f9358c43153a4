// libFuzzer entry point: the streaming frame decoder on arbitrary bytes.
//
// Input layout: byte 0 chooses the decoder's maxPayload (small values reach
// the oversize path with short inputs) and the chunk sizes; the rest is the
// byte stream. Checks, beyond "no crash, no sanitizer report":
//  - chunking does not change what is decoded (whole vs. varied chunks);
//  - counters add up: every 0x00 ends exactly one frame, good or counted bad;
//  - each delivered payload is within limits and survives appendFrame again;
//  - the input itself, used as a payload, round-trips through a frame.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "FuzzCheck.h"
#include "tautband/protocols/Framing.h"

using namespace tautband::protocols;

namespace {

struct Collected {
  std::vector<std::vector<std::uint8_t>> payloads;
};

std::size_t countZeros(std::span<const std::uint8_t> s) {
  std::size_t n = 0;
  for (std::uint8_t b : s) n += b == 0;
  return n;
}

bool sameStats(const FrameStats& a, const FrameStats& b) {
  return a.bytes == b.bytes && a.frames == b.frames && a.emptyFrames == b.emptyFrames &&
         a.tooShort == b.tooShort && a.cobsErrors == b.cobsErrors && a.crcErrors == b.crcErrors &&
         a.oversize == b.oversize;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t config = data[0];
  const std::span<const std::uint8_t> stream(data + 1, size - 1);
  const std::size_t maxPayload = (config & 0x80) ? kMaxPayloadBytes : std::size_t{1} + (config & 0x3F);

  FrameDecoder whole(maxPayload);
  Collected a;
  whole.feed(stream, [&](std::span<const std::uint8_t> p) { a.payloads.emplace_back(p.begin(), p.end()); });

  FrameDecoder chunked(maxPayload);
  Collected b;
  std::uint32_t lcg = config * 2654435761u + 1;
  std::size_t pos = 0;
  while (pos < stream.size()) {
    lcg = lcg * 1664525u + 1013904223u;
    const std::size_t n = std::min<std::size_t>(1 + (lcg >> 28), stream.size() - pos);
    chunked.feed(stream.subspan(pos, n),
                 [&](std::span<const std::uint8_t> p) { b.payloads.emplace_back(p.begin(), p.end()); });
    pos += n;
  }

  TAUTBAND_FUZZ_CHECK(a.payloads == b.payloads);
  TAUTBAND_FUZZ_CHECK(sameStats(whole.stats(), chunked.stats()));
  const FrameStats& s = whole.stats();
  TAUTBAND_FUZZ_CHECK(s.bytes == stream.size());
  TAUTBAND_FUZZ_CHECK(s.frames == a.payloads.size());
  TAUTBAND_FUZZ_CHECK(s.frames + s.emptyFrames + s.errors() == countZeros(stream));

  for (const auto& payload : a.payloads) {
    TAUTBAND_FUZZ_CHECK(payload.size() >= kMinPayloadBytes && payload.size() <= maxPayload);
    std::vector<std::uint8_t> again;
    appendFrame(payload, again);
    TAUTBAND_FUZZ_CHECK(again.size() <= maxEncodedFrameSize(payload.size()));
    FrameDecoder check(maxPayload);
    std::size_t seen = 0;
    check.feed(again, [&](std::span<const std::uint8_t> p) {
      TAUTBAND_FUZZ_CHECK(std::equal(p.begin(), p.end(), payload.begin(), payload.end()));
      ++seen;
    });
    TAUTBAND_FUZZ_CHECK(seen == 1);
  }

  if (!stream.empty() && stream.size() <= kMaxPayloadBytes) {
    std::vector<std::uint8_t> framed;
    appendSyncByte(framed);
    appendFrame(stream, framed);
    TAUTBAND_FUZZ_CHECK(countZeros(framed) == 2);
    TAUTBAND_FUZZ_CHECK(framed.size() <= 1 + maxEncodedFrameSize(stream.size()));
    FrameDecoder roundTrip;
    std::size_t seen = 0;
    roundTrip.feed(framed, [&](std::span<const std::uint8_t> p) {
      TAUTBAND_FUZZ_CHECK(std::equal(p.begin(), p.end(), stream.begin(), stream.end()));
      ++seen;
    });
    TAUTBAND_FUZZ_CHECK(seen == 1 && roundTrip.stats().errors() == 0);
  }
  return 0;
}
