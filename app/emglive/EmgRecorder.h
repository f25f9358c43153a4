#pragma once

#include "emglive/SpscRing.h"
#include "emgrecord/EmgChunkFile.h"

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tautband::emglive {

// Writes the session's raw EMG to a chunked recording (emgrecord/EmgChunkFile.h)
// on its own thread, so disk latency never reaches the EMG thread. The EMG
// thread hands samples over through a lock-free ring (dropped and counted when
// the disk falls behind: a gap in the file's frame numbers, never a stall) and
// LTR events through a second ring; the recorder cuts a short window of raw
// samples around each LTR for report thumbnails.
class EmgRecorder {
 public:
  struct Options {
    std::size_t chunkFrames = 0;       // 0: a quarter of a second
    double bufferSeconds = 4.0;        // ring between the EMG thread and the disk
    double syncEveryS = 1.0;           // fdatasync at most this often (power loss)
    double windowBeforeS = 0.1;        // LTR thumbnail window around the onset
    double windowAfterS = 0.4;
  };
  struct Event {
    std::uint64_t frame = 0;
    std::string json;
    bool wantsWindow = false;  // cut a thumbnail window on `channel` around `frame`
    std::uint32_t channel = 0;
  };

  // Creates the file now (throws emgrecord::RecordingError).
  EmgRecorder(const std::filesystem::path& path, const emgrecord::RecordingHeader& header, Options options);
  ~EmgRecorder();  // stops, writes what is queued, syncs and closes

  // EMG thread. Returns false (and counts) when the block was dropped.
  bool pushFrames(std::uint64_t firstFrame, const float* interleavedUv, std::size_t frames);
  bool pushEvent(Event event);

  // Stops the thread and closes the file; returns its BLAKE2b-256 (hex).
  std::string finish();

  const std::filesystem::path& path() const { return path_; }
  std::uint64_t droppedFrames() const { return droppedFrames_.load(std::memory_order_relaxed); }
  std::uint64_t droppedEvents() const { return droppedEvents_.load(std::memory_order_relaxed); }
  std::uint64_t framesWritten() const { return framesWritten_.load(std::memory_order_relaxed); }
  std::string lastError() const;

 private:
  struct BlockRef {
    std::uint64_t firstFrame = 0;
    std::size_t frames = 0;
  };
  void run();
  bool drainOnce();
  void keepHistory(std::uint64_t firstFrame, const float* data, std::size_t frames);
  void cutWindows(bool all);

  std::filesystem::path path_;
  std::size_t channels_;
  double rate_;
  Options options_;
  std::unique_ptr<emgrecord::ChunkWriter> writer_;
  SpscRing<float> samples_;
  SpscRing<BlockRef> blocks_;
  SpscRing<Event> events_;
  std::vector<float> scratch_;
  // History for thumbnail windows (recorder thread only).
  std::vector<float> history_;
  std::size_t historyFrames_;
  std::uint64_t historyEnd_ = 0;  // frame after the newest in history
  std::vector<Event> pendingWindows_;
  std::vector<float> window_;

  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> droppedFrames_{0}, droppedEvents_{0}, framesWritten_{0};
  mutable std::mutex errorMutex_;
  std::string error_;
  std::mutex wakeMutex_;
  std::condition_variable wake_;
  std::thread thread_;
  bool finished_ = false;
  std::string hash_;
};

}  // namespace tautband::emglive
