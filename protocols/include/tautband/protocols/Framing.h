#pragma once

// Native-protocol framing (docs/PROTOCOL.md §2–6):
//
//   frame = COBS(payload || CRC-32C(payload) as 4 bytes little-endian) || 0x00
//
// A sender writes one 0x00 before its first frame (appendSyncByte) so that a
// receiver holding a partial frame from before ends it there. Receivers drop
// and count empty frames (0x00 0x00), frames decoding to fewer than
// kMinFrameBytes, COBS errors, CRC errors and oversize frames, then carry on
// with the next frame: one 0x00 always resynchronises.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "tautband/protocols/Cobs.h"
#include "tautband/protocols/Crc32c.h"

namespace tautband::protocols {

// Largest payload (serialised Envelope) a peer may send. 4096 bytes holds an
// EmgFrame of 16 channels x 48 samples even when every sample takes the
// worst-case 5-byte varint (768 x 5 + 40 bytes of header = 3880).
inline constexpr std::size_t kMaxPayloadBytes = 4096;

inline constexpr std::size_t kCrcBytes = 4;
inline constexpr std::size_t kMinPayloadBytes = 1;                           // an empty payload is never sent
inline constexpr std::size_t kMinFrameBytes = kMinPayloadBytes + kCrcBytes;  // decoded

// Exact worst-case size of appendFrame's output for a payload of n bytes:
// COBS of m = n + 4 bytes is at most m + ceil(m / 254) bytes, plus the 0x00
// delimiter. (Without the leading sync byte.) 4096 -> 4118.
constexpr std::size_t maxEncodedFrameSize(std::size_t payload) {
  return cobsMaxEncodedSize(payload + kCrcBytes) + 1;
}

inline constexpr std::size_t kMaxEncodedFrameBytes = maxEncodedFrameSize(kMaxPayloadBytes);

// Appends one complete frame (without sync byte) for payload to out.
void appendFrame(std::span<const std::uint8_t> payload, std::vector<std::uint8_t>& out);

// Appends the 0x00 a sender writes once before its first frame.
inline void appendSyncByte(std::vector<std::uint8_t>& out) {
  out.push_back(0x00);
}

struct FrameStats {
  std::uint64_t bytes = 0;        // every byte fed
  std::uint64_t frames = 0;       // good frames delivered
  std::uint64_t emptyFrames = 0;  // 0x00 directly after 0x00 (or at start): sync bytes
  std::uint64_t tooShort = 0;     // decoded to fewer than kMinFrameBytes
  std::uint64_t cobsErrors = 0;   // 0x00 arrived inside a COBS block
  std::uint64_t crcErrors = 0;
  std::uint64_t oversize = 0;  // decoded payload would exceed maxPayload

  std::uint64_t errors() const { return tooShort + cobsErrors + crcErrors + oversize; }
};

// Streaming decoder. Feed it bytes in any chunking; it calls
// onFrame(std::span<const std::uint8_t> payload) for each frame whose CRC
// matches (payload excludes the CRC). The span points into the decoder's own
// buffer and is valid only during the call. Never allocates after
// construction; any byte sequence is valid input.
//
// A fresh (or reset) decoder treats the next byte as the start of a frame, so
// a receiver joining a stream mid-frame counts one error for that fragment.
class FrameDecoder {
 public:
  explicit FrameDecoder(std::size_t maxPayload = kMaxPayloadBytes);

  template <class OnFrame>
  void feed(std::span<const std::uint8_t> bytes, OnFrame&& onFrame) {
    while (!bytes.empty()) {
      const std::size_t used = consume(bytes);
      bytes = bytes.subspan(used);
      if (frameReady_) {
        frameReady_ = false;
        onFrame(std::span<const std::uint8_t>(buffer_.data(), frameLength_));
      }
    }
  }

  const FrameStats& stats() const { return stats_; }
  std::size_t maxPayload() const { return maxPayload_; }

  // Drops any partial frame; keeps the counters.
  void reset();

 private:
  // Consumes bytes up to and including the next delimiter (or all of them).
  // Sets frameReady_ when a good frame ends there.
  std::size_t consume(std::span<const std::uint8_t> bytes);
  void endFrame();

  std::size_t maxPayload_;
  std::vector<std::uint8_t> buffer_;  // decoded payload + CRC, fixed capacity
  std::size_t length_ = 0;            // decoded bytes so far in this frame
  std::size_t encodedLength_ = 0;     // encoded bytes so far in this frame
  std::uint8_t blockRemaining_ = 0;   // data bytes left in the current COBS block
  bool zeroPending_ = false;          // previous block ended short of 0xFF: emit 0x00 before the next
  bool overflow_ = false;             // frame too long: skip to the next delimiter
  bool frameReady_ = false;
  std::size_t frameLength_ = 0;
  FrameStats stats_;
};

}  // namespace tautband::protocols
