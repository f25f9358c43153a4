// libFuzzer entry point: envelope parsing, alone and behind the frame decoder.
//
// Checks, beyond "no crash, no sanitizer report":
//  - parseEnvelope either succeeds with a body set, or fails with a reason
//    and leaves no body behind;
//  - an accepted envelope re-frames (unless it grew past the limit when
//    re-serialised) and parses back to the same bytes;
//  - the input as a byte stream through FrameDecoder + parseEnvelope.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "FuzzCheck.h"
#include "tautband/protocols/Envelope.h"

using namespace tautband::protocols;
namespace pb = tautband::device::v1;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);

  pb::Envelope envelope;
  const auto error = parseEnvelope(input, envelope);
  if (error) {
    TAUTBAND_FUZZ_CHECK(!error->empty());
    TAUTBAND_FUZZ_CHECK(envelope.body_case() == pb::Envelope::BODY_NOT_SET);
  } else {
    TAUTBAND_FUZZ_CHECK(envelope.body_case() != pb::Envelope::BODY_NOT_SET);
    TAUTBAND_FUZZ_CHECK(bodyName(envelope) != std::string("none"));
    const std::string first = envelope.SerializeAsString();
    std::vector<std::uint8_t> framed;
    const bool framedOk = appendEnvelopeFrame(envelope, framed);
    TAUTBAND_FUZZ_CHECK(framedOk == (first.size() <= kMaxPayloadBytes));
    if (framedOk) {
      FrameDecoder decoder;
      std::size_t seen = 0;
      decoder.feed(framed, [&](std::span<const std::uint8_t> payload) {
        pb::Envelope again;
        TAUTBAND_FUZZ_CHECK(!parseEnvelope(payload, again));
        TAUTBAND_FUZZ_CHECK(again.SerializeAsString() == first);
        ++seen;
      });
      TAUTBAND_FUZZ_CHECK(seen == 1);
    }
  }

  FrameDecoder streamDecoder;
  streamDecoder.feed(input, [&](std::span<const std::uint8_t> payload) {
    pb::Envelope inner;
    (void)parseEnvelope(payload, inner);
  });
  return 0;
}
