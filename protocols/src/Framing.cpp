#include "tautband/protocols/Framing.h"

#include <algorithm>
#include <cstring>

namespace tautband::protocols {

void appendFrame(std::span<const std::uint8_t> payload, std::vector<std::uint8_t>& out) {
  const std::uint32_t crc = crc32c(payload);
  const std::uint8_t crcBytes[kCrcBytes] = {
      static_cast<std::uint8_t>(crc), static_cast<std::uint8_t>(crc >> 8),
      static_cast<std::uint8_t>(crc >> 16), static_cast<std::uint8_t>(crc >> 24)};

  const std::size_t start = out.size();
  out.resize(start + maxEncodedFrameSize(payload.size()));
  std::uint8_t* dst = out.data() + start;
  std::uint8_t* code = dst++;
  std::uint8_t run = 1;
  const std::size_t total = payload.size() + kCrcBytes;
  // COBS over payload || crc without copying them together first.
  for (std::size_t i = 0; i < total; ++i) {
    const std::uint8_t b = i < payload.size() ? payload[i] : crcBytes[i - payload.size()];
    if (b == 0) {
      *code = run;
      code = dst++;
      run = 1;
      continue;
    }
    *dst++ = b;
    if (++run == 0xFF) {
      *code = run;
      run = 1;
      code = (i + 1 < total) ? dst++ : nullptr;
    }
  }
  if (code != nullptr) *code = run;
  *dst++ = 0x00;
  out.resize(static_cast<std::size_t>(dst - out.data()));
}

FrameDecoder::FrameDecoder(std::size_t maxPayload)
    : maxPayload_(maxPayload), buffer_(maxPayload + kCrcBytes) {}

void FrameDecoder::reset() {
  length_ = 0;
  encodedLength_ = 0;
  blockRemaining_ = 0;
  zeroPending_ = false;
  overflow_ = false;
  frameReady_ = false;
}

std::size_t FrameDecoder::consume(std::span<const std::uint8_t> bytes) {
  const std::uint8_t* const begin = bytes.data();
  const std::uint8_t* p = begin;
  const std::uint8_t* const end = begin + bytes.size();
  const std::size_t capacity = buffer_.size();
  std::uint8_t* const buf = buffer_.data();

  while (p != end) {
    if (overflow_) {
      // Skip the rest of an oversize frame up to its delimiter.
      const auto* zero =
          static_cast<const std::uint8_t*>(std::memchr(p, 0, static_cast<std::size_t>(end - p)));
      if (zero == nullptr) {
        p = end;
        break;
      }
      p = zero + 1;
      endFrame();
      break;
    }

    if (blockRemaining_ > 0) {
      // Inside a block: copy data bytes up to the block end, a 0x00 (frame
      // ends early: COBS error) or the end of the input.
      std::size_t n = std::min<std::size_t>(blockRemaining_, static_cast<std::size_t>(end - p));
      const auto* zero = static_cast<const std::uint8_t*>(std::memchr(p, 0, n));
      if (zero != nullptr) n = static_cast<std::size_t>(zero - p);
      if (n > capacity - length_) {
        overflow_ = true;
        continue;
      }
      std::memcpy(buf + length_, p, n);
      length_ += n;
      encodedLength_ += n;
      blockRemaining_ = static_cast<std::uint8_t>(blockRemaining_ - n);
      p += n;
      if (zero != nullptr) {
        ++p;
        endFrame();
        break;
      }
      continue;
    }

    const std::uint8_t b = *p++;
    if (b == 0x00) {
      endFrame();
      break;
    }
    // A code byte starts the next block.
    if (zeroPending_) {
      if (length_ == capacity) {
        overflow_ = true;
        continue;
      }
      buf[length_++] = 0x00;
    }
    ++encodedLength_;
    blockRemaining_ = static_cast<std::uint8_t>(b - 1);
    zeroPending_ = b != 0xFF;
  }

  const auto used = static_cast<std::size_t>(p - begin);
  stats_.bytes += used;
  return used;
}

// Called at a 0x00 delimiter: classify the frame, then start a new one.
void FrameDecoder::endFrame() {
  if (overflow_) {
    ++stats_.oversize;
  } else if (blockRemaining_ > 0) {
    ++stats_.cobsErrors;
  } else if (encodedLength_ == 0) {
    ++stats_.emptyFrames;
  } else if (length_ < kMinFrameBytes) {
    ++stats_.tooShort;
  } else {
    const std::size_t payloadLength = length_ - kCrcBytes;
    const std::uint8_t* c = buffer_.data() + payloadLength;
    const std::uint32_t received = static_cast<std::uint32_t>(c[0]) | static_cast<std::uint32_t>(c[1]) << 8 |
                                   static_cast<std::uint32_t>(c[2]) << 16 |
                                   static_cast<std::uint32_t>(c[3]) << 24;
    if (crc32c(std::span<const std::uint8_t>(buffer_.data(), payloadLength)) == received) {
      ++stats_.frames;
      frameReady_ = true;
      frameLength_ = payloadLength;
    } else {
      ++stats_.crcErrors;
    }
  }
  length_ = 0;
  encodedLength_ = 0;
  blockRemaining_ = 0;
  zeroPending_ = false;
  overflow_ = false;
}

}  // namespace tautband::protocols
