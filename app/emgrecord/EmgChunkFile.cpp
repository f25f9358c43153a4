#include "emgrecord/EmgChunkFile.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <unistd.h>

namespace tautband::emgrecord {

static_assert(std::endian::native == std::endian::little, "the recording format is little-endian");

namespace {

constexpr std::array<std::uint32_t, 256> makeCrcTable() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? (c >> 1) ^ 0x82F63B78u : c >> 1;  // Castagnoli, reflected
    table[i] = c;
  }
  return table;
}
constexpr auto kCrcTable = makeCrcTable();

template <typename T>
void put(std::vector<unsigned char>& out, T value) {
  const std::size_t at = out.size();
  out.resize(at + sizeof(T));
  std::memcpy(out.data() + at, &value, sizeof(T));
}

template <typename T>
T get(const unsigned char* p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

std::string errnoText() { return std::strerror(errno); }

}  // namespace

std::uint32_t crc32c(const void* data, std::size_t bytes, std::uint32_t crc) {
  const auto* p = static_cast<const unsigned char*>(data);
  crc = ~crc;
  for (std::size_t i = 0; i < bytes; ++i) crc = kCrcTable[(crc ^ p[i]) & 0xFFu] ^ (crc >> 8);
  return ~crc;
}

// ---------------------------------------------------------------------------

ChunkWriter::ChunkWriter(const std::filesystem::path& path, const RecordingHeader& header, std::size_t chunkFrames)
    : path_(path), channels_(header.channels), chunkFrames_(chunkFrames) {
  if (header.channels == 0 || header.channels > 1024) throw RecordingError("recording: channel count must be 1..1024");
  if (!(header.sampleRateHz > 0)) throw RecordingError("recording: sample rate must be > 0");
  if (chunkFrames == 0) throw RecordingError("recording: chunk size must be > 0 frames");
  pending_.resize(chunkFrames * channels_);
  scratch_.reserve(kChunkHeaderBytes + pending_.size() * sizeof(float) + 4);

  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0640);
  if (fd_ < 0) throw RecordingError("recording: cannot create " + path.string() + ": " + errnoText());
  std::vector<unsigned char> head;
  head.resize(8);
  std::memcpy(head.data(), kFileMagic, 8);
  put(head, kFormatVersion);
  put(head, header.channels);
  put(head, header.sampleRateHz);
  put(head, header.sessionUsOfFrame0);
  put(head, static_cast<std::uint32_t>(header.metadataJson.size()));
  const std::size_t metaAt = head.size();
  head.resize(metaAt + header.metadataJson.size());
  std::memcpy(head.data() + metaAt, header.metadataJson.data(), header.metadataJson.size());
  put(head, crc32c(head.data(), head.size()));
  writeAll(head.data(), head.size());
}

ChunkWriter::~ChunkWriter() {
  try {
    close();
  } catch (...) {
    // Destructors must not throw; close() explicitly to see the error.
  }
}

void ChunkWriter::writeAll(const void* data, std::size_t bytes) {
  const auto* p = static_cast<const unsigned char*>(data);
  while (bytes > 0) {
    const ssize_t n = ::write(fd_, p, bytes);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw RecordingError("recording: write to " + path_.string() + " failed: " + errnoText());
    }
    p += n;
    bytes -= static_cast<std::size_t>(n);
    bytes_ += static_cast<std::uint64_t>(n);
  }
}

void ChunkWriter::writeChunk(ChunkKind kind, std::uint64_t frame, std::uint32_t frames, const void* payload,
                             std::size_t bytes, const void* payload2, std::size_t bytes2) {
  if (fd_ < 0) throw RecordingError("recording: the file is closed");
  scratch_.clear();
  scratch_.resize(4);
  std::memcpy(scratch_.data(), kChunkMagic, 4);
  put(scratch_, static_cast<std::uint32_t>(kind));
  put(scratch_, sequence_);
  put(scratch_, frame);
  put(scratch_, frames);
  put(scratch_, static_cast<std::uint32_t>(bytes + bytes2));
  const std::size_t at = scratch_.size();
  scratch_.resize(at + bytes + bytes2);
  if (bytes > 0) std::memcpy(scratch_.data() + at, payload, bytes);
  if (bytes2 > 0) std::memcpy(scratch_.data() + at + bytes, payload2, bytes2);
  put(scratch_, crc32c(scratch_.data(), scratch_.size()));
  // One write per chunk: a kill between writes never leaves a valid half chunk.
  writeAll(scratch_.data(), scratch_.size());
  ++sequence_;
}

void ChunkWriter::appendFrames(std::uint64_t firstFrame, const float* in, std::size_t frames) {
  while (frames > 0) {
    if (pendingFrames_ > 0 && firstFrame != pendingFirst_ + pendingFrames_) flush();  // a gap
    if (pendingFrames_ == 0) pendingFirst_ = firstFrame;
    const std::size_t take = std::min(frames, chunkFrames_ - pendingFrames_);
    std::memcpy(pending_.data() + pendingFrames_ * channels_, in, take * channels_ * sizeof(float));
    pendingFrames_ += take;
    in += take * channels_;
    frames -= take;
    firstFrame += take;
    if (pendingFrames_ == chunkFrames_) flush();
  }
}

void ChunkWriter::flush() {
  if (pendingFrames_ == 0) return;
  writeChunk(ChunkKind::kSamples, pendingFirst_, static_cast<std::uint32_t>(pendingFrames_), pending_.data(),
             pendingFrames_ * channels_ * sizeof(float));
  pendingFrames_ = 0;
}

void ChunkWriter::appendEvent(std::uint64_t frame, const std::string& json) {
  writeChunk(ChunkKind::kEvent, frame, 0, json.data(), json.size());
}

void ChunkWriter::appendLtrWindow(std::uint32_t channel, std::uint64_t firstFrame, const float* samples,
                                  std::size_t count) {
  const std::uint32_t head[2] = {channel, 0};
  writeChunk(ChunkKind::kLtrWindow, firstFrame, static_cast<std::uint32_t>(count), head, sizeof head, samples,
             count * sizeof(float));
}

void ChunkWriter::sync() {
  flush();
  if (fd_ >= 0 && ::fdatasync(fd_) != 0) throw RecordingError("recording: fdatasync failed: " + errnoText());
}

void ChunkWriter::close() {
  if (fd_ < 0) return;
  sync();
  ::close(fd_);
  fd_ = -1;
}

// ---------------------------------------------------------------------------

std::uint64_t RecordingContents::frames() const {
  std::uint64_t n = 0;
  for (const auto& s : segments) n += s.frames;
  return n;
}

std::vector<float> RecordingContents::contiguous(std::uint64_t* gapFrames) const {
  std::uint64_t end = 0;
  for (const auto& s : segments) end = std::max<std::uint64_t>(end, s.firstFrame + s.frames);
  const std::size_t C = header.channels;
  std::vector<float> out(static_cast<std::size_t>(end) * C, 0.0f);
  std::vector<bool> filled(static_cast<std::size_t>(end), false);
  for (const auto& s : segments) {
    std::memcpy(out.data() + s.firstFrame * C, samplesUv.data() + s.offset, s.frames * C * sizeof(float));
    std::fill(filled.begin() + static_cast<std::ptrdiff_t>(s.firstFrame),
              filled.begin() + static_cast<std::ptrdiff_t>(s.firstFrame + s.frames), true);
  }
  if (gapFrames != nullptr) *gapFrames = static_cast<std::uint64_t>(std::count(filled.begin(), filled.end(), false));
  return out;
}

RecordingContents readRecording(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RecordingError("recording: cannot open " + path.string());
  const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t size = bytes.size();
  const unsigned char* b = bytes.data();

  RecordingContents out;
  if (size < 40 || std::memcmp(b, kFileMagic, 8) != 0) {
    throw RecordingError("recording: " + path.string() + " is not a Tautband EMG recording");
  }
  if (get<std::uint32_t>(b + 8) != kFormatVersion) {
    throw RecordingError("recording: unsupported format version " + std::to_string(get<std::uint32_t>(b + 8)));
  }
  const auto metaLen = get<std::uint32_t>(b + 32);
  if (metaLen > kMaxPayloadBytes || 36 + static_cast<std::size_t>(metaLen) + 4 > size) {
    throw RecordingError("recording: the header of " + path.string() + " is truncated");
  }
  const std::size_t headEnd = 36 + metaLen;
  if (crc32c(b, headEnd) != get<std::uint32_t>(b + headEnd)) {
    throw RecordingError("recording: the header of " + path.string() + " is damaged (checksum)");
  }
  out.header.channels = get<std::uint32_t>(b + 12);
  out.header.sampleRateHz = get<double>(b + 16);
  out.header.sessionUsOfFrame0 = get<std::int64_t>(b + 24);
  out.header.metadataJson.assign(reinterpret_cast<const char*>(b + 36), metaLen);
  const std::size_t C = out.header.channels;
  if (C == 0 || C > 1024 || !(out.header.sampleRateHz > 0)) {
    throw RecordingError("recording: the header of " + path.string() + " has impossible values");
  }

  // A chunk at `pos` is valid when it fits, its checksum matches and its payload has the right size.
  auto validAt = [&](std::size_t pos, std::size_t* chunkEnd) {
    if (pos + kChunkHeaderBytes + 4 > size || std::memcmp(b + pos, kChunkMagic, 4) != 0) return false;
    const auto payload = get<std::uint32_t>(b + pos + 24);
    if (payload > kMaxPayloadBytes || pos + kChunkHeaderBytes + payload + 4 > size) return false;
    const std::size_t end = pos + kChunkHeaderBytes + payload;
    if (crc32c(b + pos, end - pos) != get<std::uint32_t>(b + end)) return false;
    const auto kind = get<std::uint32_t>(b + pos + 4);
    const auto frames = get<std::uint32_t>(b + pos + 20);
    if (kind == static_cast<std::uint32_t>(ChunkKind::kSamples) && payload != std::uint64_t{frames} * C * 4) return false;
    if (kind == static_cast<std::uint32_t>(ChunkKind::kLtrWindow) && payload != 8 + std::uint64_t{frames} * 4) return false;
    *chunkEnd = end + 4;
    return true;
  };

  std::size_t pos = headEnd + 4;
  while (pos < size) {
    std::size_t next = 0;
    if (!validAt(pos, &next)) {
      // Damaged or cut: skip to the next chunk that validates (or the end).
      std::size_t scan = pos + 1;
      while (scan < size && !validAt(scan, &next)) ++scan;
      ++out.damagedRegions;
      out.damagedBytes += scan - pos;
      if (scan >= size) {
        out.cleanEnd = false;
        break;
      }
      pos = scan;
    }
    const auto kind = static_cast<ChunkKind>(get<std::uint32_t>(b + pos + 4));
    const auto frame = get<std::uint64_t>(b + pos + 12);
    const auto frames = get<std::uint32_t>(b + pos + 20);
    const auto payloadLen = get<std::uint32_t>(b + pos + 24);
    const unsigned char* payload = b + pos + kChunkHeaderBytes;
    switch (kind) {
      case ChunkKind::kSamples: {
        const std::size_t offset = out.samplesUv.size();
        out.samplesUv.resize(offset + std::size_t{frames} * C);
        std::memcpy(out.samplesUv.data() + offset, payload, payloadLen);
        if (!out.segments.empty() && out.segments.back().firstFrame + out.segments.back().frames == frame) {
          out.segments.back().frames += frames;
        } else {
          out.segments.push_back({frame, frames, offset});
        }
        break;
      }
      case ChunkKind::kEvent:
        out.events.push_back({frame, std::string(reinterpret_cast<const char*>(payload), payloadLen)});
        break;
      case ChunkKind::kLtrWindow: {
        LtrWindow w;
        w.channel = get<std::uint32_t>(payload);
        w.firstFrame = frame;
        w.samplesUv.resize(frames);
        std::memcpy(w.samplesUv.data(), payload + 8, std::size_t{frames} * 4);
        out.ltrWindows.push_back(std::move(w));
        break;
      }
      default:
        break;  // a later minor version's chunk: skipped, still counted as valid
    }
    ++out.chunks;
    pos = next;
  }
  return out;
}

std::string hashFileBlake2b256(const std::filesystem::path& path) {
  if (sodium_init() < 0) throw RecordingError("recording: libsodium failed to initialise");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RecordingError("recording: cannot open " + path.string());
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 32);
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto n = in.gcount();
    if (n > 0) crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(buffer.data()), static_cast<unsigned long long>(n));
  }
  unsigned char digest[32];
  crypto_generichash_final(&state, digest, sizeof digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : digest) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  return hex;
}

}  // namespace tautband::emgrecord
