#pragma once

#include "devices/sim/LtrBurst.h"
#include "devices/sim/SimEvents.h"

#include <cstdint>
#include <random>

namespace tautband::devices::sim {

// The signal the third-party EMG simulators (Cyton, BITalino) send: Gaussian
// background noise on every channel and, on demand, an LTR on one channel:
// the same polyphasic burst the native EMG simulator sends (LtrBurst).
// Deterministic for a seed.
class SimSignal {
 public:
  struct Config {
    double noiseRmsUv = 10.0;
    double ltrPeakUv = 600.0;     // largest |sample| of the burst
    double ltrDurationMs = 60.0;  // discharge length
    std::uint32_t ltrChannel = 0;
    std::uint64_t seed = 1;
  };
  SimSignal(Config config, EventSink events)
      : config_(config), events_(std::move(events)), rng_(config.seed),
        ltr_(config.ltrPeakUv, config.ltrDurationMs, config.seed) {}

  // µV of one channel at a sample index; call channels in order for each index.
  double sample(std::uint64_t index, std::uint32_t channel, double rateHz, double deviceTimeUs);
  void injectLtr() { ltrRequested_ = true; }

 private:
  Config config_;
  EventSink events_;
  std::mt19937_64 rng_;
  std::normal_distribution<double> gauss_{0.0, 1.0};
  bool ltrRequested_ = false;
  LtrBurst ltr_;
};

}  // namespace tautband::devices::sim
