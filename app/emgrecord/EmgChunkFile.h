#pragma once

// The per-session raw EMG recording file (docs/EMG.md "Recording file"):
// append-only, a header then self-checking chunks, so a crash loses at most
// the chunk being written and everything before it still reads.
//
//   header  "TBEMGR01" u32 version u32 channels f64 rateHz i64 sessionUsOfFrame0
//           u32 metaLen, metaLen bytes of UTF-8 JSON, u32 CRC-32C(all before)
//   chunk   "TBCK" u32 kind u32 sequence u64 frame u32 frames u32 payloadLen,
//           payload, u32 CRC-32C(all before, from "TBCK")
// Little-endian throughout. Samples are float32 µV, interleaved frame-major.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tautband::emgrecord {

inline constexpr char kFileMagic[8] = {'T', 'B', 'E', 'M', 'G', 'R', '0', '1'};
inline constexpr char kChunkMagic[4] = {'T', 'B', 'C', 'K'};
inline constexpr std::uint32_t kFormatVersion = 1;
inline constexpr std::size_t kChunkHeaderBytes = 28;
inline constexpr std::uint32_t kMaxPayloadBytes = 64u << 20;  // reader sanity bound

enum class ChunkKind : std::uint32_t {
  kSamples = 1,    // frames x channels float32 µV, starting at `frame`
  kEvent = 2,      // UTF-8 JSON: an LTR (detected/ended/retracted/manual), a mark, a note
  kLtrWindow = 3,  // u32 channel, u32 0, then `frames` float32 µV of that channel from `frame`
};

std::uint32_t crc32c(const void* data, std::size_t bytes, std::uint32_t crc = 0);

struct RecordingHeader {
  double sampleRateHz = 0;
  std::uint32_t channels = 0;
  std::int64_t sessionUsOfFrame0 = 0;  // session clock of frame 0 (core/SessionClock.h)
  std::string metadataJson = "{}";     // device, session id, research flag, channel names...
};

class RecordingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Writes one recording. Samples are buffered into chunks of `chunkFrames`
// frames; each full chunk is written with one write(2) (so SIGKILL cannot
// leave a half chunk that validates), and sync() makes them durable against
// power loss. Not thread-safe: one writer thread (emglive/EmgRecorder).
class ChunkWriter {
 public:
  // Creates the file (refuses to overwrite). Throws RecordingError.
  ChunkWriter(const std::filesystem::path& path, const RecordingHeader& header, std::size_t chunkFrames);
  ~ChunkWriter();
  ChunkWriter(const ChunkWriter&) = delete;
  ChunkWriter& operator=(const ChunkWriter&) = delete;

  // Frames must be contiguous unless `frame` says otherwise (a gap starts a new chunk).
  void appendFrames(std::uint64_t firstFrame, const float* interleavedUv, std::size_t frames);
  void appendEvent(std::uint64_t frame, const std::string& json);
  void appendLtrWindow(std::uint32_t channel, std::uint64_t firstFrame, const float* samples, std::size_t count);
  // Writes the partial chunk (if any) now.
  void flush();
  // flush() + fdatasync.
  void sync();
  void close();

  std::uint64_t bytesWritten() const { return bytes_; }
  std::uint32_t chunksWritten() const { return sequence_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  void writeChunk(ChunkKind kind, std::uint64_t frame, std::uint32_t frames, const void* payload, std::size_t bytes,
                  const void* payload2 = nullptr, std::size_t bytes2 = 0);
  void writeAll(const void* data, std::size_t bytes);

  std::filesystem::path path_;
  int fd_ = -1;
  std::uint32_t channels_;
  std::size_t chunkFrames_;
  std::vector<float> pending_;
  std::size_t pendingFrames_ = 0;
  std::uint64_t pendingFirst_ = 0;
  std::vector<unsigned char> scratch_;
  std::uint32_t sequence_ = 0;
  std::uint64_t bytes_ = 0;
};

struct RecordedEvent {
  std::uint64_t frame = 0;
  std::string json;
};

struct LtrWindow {
  std::uint32_t channel = 0;
  std::uint64_t firstFrame = 0;
  std::vector<float> samplesUv;
};

struct SampleSegment {
  std::uint64_t firstFrame = 0;
  std::size_t frames = 0;
  std::size_t offset = 0;  // into RecordingContents::samplesUv, in floats
};

// Everything a recording holds. Damage is reported, not thrown: a file that
// was cut by a crash reads up to the last whole chunk.
struct RecordingContents {
  RecordingHeader header;
  std::vector<float> samplesUv;          // every valid sample chunk, in file order, interleaved
  std::vector<SampleSegment> segments;   // where each contiguous run of frames sits in samplesUv
  std::vector<RecordedEvent> events;
  std::vector<LtrWindow> ltrWindows;
  std::uint32_t chunks = 0;              // valid chunks read
  std::uint32_t damagedRegions = 0;      // runs of bytes that were not a valid chunk
  std::uint64_t damagedBytes = 0;        // bytes skipped in them (a cut tail counts here)
  bool cleanEnd = true;                  // false when the file ends in a partial chunk

  std::uint64_t frames() const;          // frames held (sum of segments)
  // Frames with gaps (lost chunks, recorder drops) filled with zeros from
  // frame 0 to the last frame held; `gapFrames` counts the filled ones.
  std::vector<float> contiguous(std::uint64_t* gapFrames = nullptr) const;
};

// Reads a recording. Throws RecordingError only when the header itself is
// unreadable (not a recording, unknown version, damaged header).
RecordingContents readRecording(const std::filesystem::path& path);

// BLAKE2b-256 of a whole file, lower-case hex (what the store keeps).
std::string hashFileBlake2b256(const std::filesystem::path& path);
inline constexpr const char* kHashAlgorithm = "blake2b-256";

}  // namespace tautband::emgrecord
