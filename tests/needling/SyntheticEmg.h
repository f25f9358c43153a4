#pragma once

// Synthetic needle EMG for the EMG-thread tests and the latency bench:
// Gaussian background plus 60 ms polyphasic bursts at chosen frames, packed
// into native EmgFrame envelopes as a device would send them.

#include "devices/link/DeviceCodec.h"

#include <cmath>
#include <cstdint>
#include <memory>
#include <numbers>
#include <random>
#include <vector>

namespace tautband::testing {

class SyntheticEmg {
 public:
  SyntheticEmg(std::uint32_t rateHz, std::uint32_t channels, double uvPerUnit, std::uint32_t seed = 7)
      : rate_(rateHz), channels_(channels), uvPerUnit_(uvPerUnit), rng_(seed) {}

  // A burst on `channel` starting at `frame` (60 ms, ~peakUv).
  void addBurst(std::uint64_t frame, std::uint32_t channel, double peakUv = 800.0) {
    bursts_.push_back({frame, channel, peakUv});
  }

  // The next envelope of `framesPerMessage` frames.
  std::shared_ptr<const devices::proto::Envelope> next(std::uint32_t framesPerMessage) {
    auto e = std::make_shared<devices::proto::Envelope>();
    auto* f = e->mutable_emg_frame();
    f->set_sequence(++sequence_);
    f->set_device_time_us(static_cast<std::uint64_t>(static_cast<double>(frame_) * 1e6 / rate_));
    f->set_channel_count(channels_);
    f->set_sample_rate_hz(rate_);
    for (std::uint32_t i = 0; i < framesPerMessage; ++i, ++frame_) {
      for (std::uint32_t c = 0; c < channels_; ++c) {
        double uv = noise_(rng_) * 15.0;
        for (const auto& b : bursts_) {
          if (b.channel != c || frame_ < b.frame) continue;
          const double t = static_cast<double>(frame_ - b.frame) / rate_;
          if (t < 0.06) uv += b.peakUv * std::sin(std::numbers::pi * t / 0.06) * std::sin(2 * std::numbers::pi * 180.0 * t);
        }
        f->add_samples(static_cast<std::int32_t>(std::lround(uv / uvPerUnit_)));
      }
    }
    return e;
  }
  std::uint64_t frame() const { return frame_; }
  void skipMessage(std::uint32_t framesPerMessage) {  // a lost device frame
    ++sequence_;
    frame_ += framesPerMessage;
  }

 private:
  struct Burst {
    std::uint64_t frame;
    std::uint32_t channel;
    double peakUv;
  };
  std::uint32_t rate_, channels_;
  double uvPerUnit_;
  std::mt19937 rng_;
  std::normal_distribution<double> noise_{0.0, 1.0};
  std::vector<Burst> bursts_;
  std::uint64_t frame_ = 0, sequence_ = 0;
};

}  // namespace tautband::testing
