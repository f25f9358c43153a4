#pragma once

#include "emglive/SpscRing.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace tautband::emglive {

// One EMG channel, band-limited for listening (20 Hz high-pass, low-pass at
// min(5 kHz, 0.45 x rate): the band clinical EMG loudspeakers play), handed
// from the EMG thread to the audio thread through a lock-free ring. The EMG
// thread never waits: when the audio side does not keep up, samples are
// dropped and counted; when it runs dry, it plays silence and counts that.
class EmgAudioFeed {
 public:
  static constexpr double kMaxRateHz = 48000.0;
  explicit EmgAudioFeed(double bufferSeconds = 0.5);

  // EMG thread: set the stream's rate (designs the filters; no allocation).
  void configure(double sampleRateHz);
  // EMG thread: frames x channels interleaved µV; the selected channel goes on.
  void push(const float* interleavedUv, std::size_t frames, std::size_t channels);

  // Any thread.
  void setChannel(int channel) { channel_.store(channel, std::memory_order_relaxed); }
  int channel() const { return channel_.load(std::memory_order_relaxed); }
  double sampleRateHz() const { return rate_.load(std::memory_order_acquire); }
  std::uint64_t droppedSamples() const { return dropped_.load(std::memory_order_relaxed); }

  // Audio thread: up to n samples (µV, band-limited); returns how many.
  std::size_t read(float* out, std::size_t n) { return ring_.popInto(out, n); }
  std::size_t queued() const { return ring_.size(); }

 private:
  struct Section {
    float b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0, z1 = 0, z2 = 0;
    float run(float x) {
      const float y = b0 * x + z1;
      z1 = b1 * x - a1 * y + z2;
      z2 = b2 * x - a2 * y;
      return y;
    }
  };
  SpscRing<float> ring_;
  float scratch_[1024];
  Section highPass_, lowPass_;
  std::atomic<int> channel_{0};
  std::atomic<double> rate_{0};
  std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace tautband::emglive
