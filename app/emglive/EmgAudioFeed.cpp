#include "emglive/EmgAudioFeed.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace tautband::emglive {

EmgAudioFeed::EmgAudioFeed(double bufferSeconds)
    : ring_(static_cast<std::size_t>(kMaxRateHz * bufferSeconds)) {}

void EmgAudioFeed::configure(double rate) {
  // RBJ cookbook high-pass and low-pass, Q = 1/sqrt(2) (Butterworth).
  auto design = [rate](double fc, bool high) {
    const double w = 2 * std::numbers::pi * fc / rate;
    const double alpha = std::sin(w) / std::numbers::sqrt2;  // sin(w) / (2Q)
    const double c = std::cos(w);
    const double a0 = 1 + alpha;
    Section s;
    if (high) {
      s.b0 = static_cast<float>((1 + c) / 2 / a0);
      s.b1 = static_cast<float>(-(1 + c) / a0);
      s.b2 = s.b0;
    } else {
      s.b0 = static_cast<float>((1 - c) / 2 / a0);
      s.b1 = static_cast<float>((1 - c) / a0);
      s.b2 = s.b0;
    }
    s.a1 = static_cast<float>(-2 * c / a0);
    s.a2 = static_cast<float>((1 - alpha) / a0);
    return s;
  };
  highPass_ = design(20.0, true);
  lowPass_ = design(std::min(5000.0, 0.45 * rate), false);
  rate_.store(rate, std::memory_order_release);
}

void EmgAudioFeed::push(const float* in, std::size_t frames, std::size_t channels) {
  const auto c = static_cast<std::size_t>(std::clamp(channel_.load(std::memory_order_relaxed), 0,
                                                     static_cast<int>(channels) - 1));
  while (frames > 0) {
    const std::size_t n = std::min(frames, std::size(scratch_));
    for (std::size_t f = 0; f < n; ++f) scratch_[f] = lowPass_.run(highPass_.run(in[f * channels + c]));
    if (!ring_.tryPushAll(scratch_, n)) dropped_.fetch_add(n, std::memory_order_relaxed);
    in += n * channels;
    frames -= n;
  }
}

}  // namespace tautband::emglive
