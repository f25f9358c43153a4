#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tautband::emg {

// Reduces the EMG stream to min/max per pixel column for the trace and hands
// the columns to the GUI thread through a bounded single-producer/single-
// consumer ring. When the GUI falls behind, new columns are dropped (the
// producer never waits) and counted.
class DisplayDecimator {
 public:
  DisplayDecimator(std::size_t channels, std::size_t framesPerColumn, std::size_t capacityColumns);

  // Producer (EMG thread): interleaved frames, any block size. No allocation.
  void push(const float* interleaved, std::size_t frames);

  // Consumer (GUI thread): copies up to maxColumns columns into minOut/maxOut
  // (maxColumns x channels each, column-major) and returns how many.
  std::size_t pop(float* minOut, float* maxOut, std::uint64_t* firstFrameOut, std::size_t maxColumns);

  std::uint64_t droppedColumns() const { return dropped_.load(std::memory_order_relaxed); }
  std::size_t available() const;
  std::size_t channels() const { return channels_; }
  std::size_t framesPerColumn() const { return framesPerColumn_; }

 private:
  void finishColumn();

  std::size_t channels_;
  std::size_t framesPerColumn_;
  std::size_t capacity_;
  std::vector<float> curMin_, curMax_;
  std::size_t inColumn_ = 0;
  std::uint64_t frame_ = 0;
  std::uint64_t columnStart_ = 0;
  std::vector<float> ringMin_, ringMax_;
  std::vector<std::uint64_t> ringFirst_;
  std::atomic<std::size_t> head_{0};  // written by the producer
  std::atomic<std::size_t> tail_{0};  // written by the consumer
  std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace tautband::emg
