#include "devices/sim/SimSignal.h"

#include <cmath>
#include <numbers>

namespace tautband::devices::sim {

double SimSignal::sample(std::uint64_t index, std::uint32_t channel, double rateHz, double deviceTimeUs) {
  if (channel == config_.ltrChannel && ltrRequested_) {
    ltrRequested_ = false;
    ltrStart_ = index;
    if (events_) {
      events_(QStringLiteral("ltr"), {{"sample", static_cast<double>(index)},
                                      {"device_time_us", deviceTimeUs},
                                      {"channel", static_cast<int>(channel + 1)},
                                      {"peak_uv", config_.ltrPeakUv}});
    }
  }
  double uv = config_.noiseRmsUv * gauss_(rng_);
  if (channel == config_.ltrChannel && ltrStart_ && index >= *ltrStart_) {
    const double t = static_cast<double>(index - *ltrStart_) / rateHz;
    const double duration = config_.ltrDurationMs / 1000.0;
    if (t < duration) {
      const double window = std::sin(std::numbers::pi * t / duration);
      uv += config_.ltrPeakUv * window * std::sin(2 * std::numbers::pi * 150.0 * t);
    } else {
      ltrStart_.reset();
    }
  }
  return uv;
}

}  // namespace tautband::devices::sim
