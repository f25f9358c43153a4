#include "devices/sim/SimSignal.h"

namespace tautband::devices::sim {

double SimSignal::sample(std::uint64_t index, std::uint32_t channel, double rateHz, double deviceTimeUs) {
  if (channel == config_.ltrChannel && ltrRequested_) {
    ltrRequested_ = false;
    ltr_.start(index, rateHz);
    if (events_) {
      events_(QStringLiteral("ltr"), {{"sample", static_cast<double>(index)},
                                      {"device_time_us", deviceTimeUs},
                                      {"channel", static_cast<int>(channel + 1)},
                                      {"peak_uv", config_.ltrPeakUv}});
    }
  }
  double uv = config_.noiseRmsUv * gauss_(rng_);
  if (channel == config_.ltrChannel) uv += ltr_.at(index);
  return uv;
}

}  // namespace tautband::devices::sim
