#include "devices/sim/LtrBurst.h"

#include <algorithm>
#include <cmath>

namespace tautband::devices::sim {

LtrBurst::LtrBurst(double peakUv, double durationMs, std::uint64_t runSeed)
    : peakUv_(peakUv), durationMs_(durationMs), rng_(runSeed * 0x9E3779B97F4A7C15ull + 0x4C5452ull) {}

void LtrBurst::start(std::uint64_t startSample, double rateHz) {
  startSample_ = startSample;
  makeWave(rateHz);
}

double LtrBurst::at(std::uint64_t sample) const {
  if (!startSample_ || sample < *startSample_) return 0.0;
  const auto i = sample - *startSample_;
  return i < wave_.size() ? wave_[i] : 0.0;
}

// Bi- and triphasic potentials, 0.4-1.5 ms wide, random polarity, ~600 per
// second, overlapping; the reflex recruits its units at once, so the burst
// starts abruptly, holds, and decays over the last third. (It used to be
// steady tones under a Hann window, which starts from zero: at the
// detector's decision point, onset + minimum burst, it had shown only a
// fraction of its amplitude and looked like an endplate-spike train.
// docs/EMG.md.) Potential widths are floored at 0.75 sample, as a device's
// anti-alias filter would, so 250 Hz sees smooth shapes.
void LtrBurst::makeWave(double rate) {
  const double duration = durationMs_ / 1000.0;
  wave_.assign(static_cast<std::size_t>(std::ceil((duration + 0.01) * rate)), 0.0);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  auto uniform = [&](double lo, double hi) { return lo + (hi - lo) * unit(rng_); };
  auto addPotential = [&](double centreS, double sigmaS, double amplitude, int shape) {
    const double sigma = std::max(sigmaS, 0.75 / rate);
    const auto first = static_cast<long long>(std::ceil((centreS - 5 * sigma) * rate));
    const auto last = static_cast<long long>(std::floor((centreS + 5 * sigma) * rate));
    for (long long n = std::max(0LL, first); n <= last && n < static_cast<long long>(wave_.size()); ++n) {
      const double u = (static_cast<double>(n) / rate - centreS) / sigma;
      const double g = std::exp(-0.5 * u * u);
      const double v = shape == 0 ? u * std::exp(0.5) * g : shape == 1 ? -u * std::exp(0.5) * g : (1 - u * u) * g;
      wave_[static_cast<std::size_t>(n)] += amplitude * v;
    }
  };
  auto envelope = [&](double t) {
    const double rise = 0.15 * duration, fall = 0.3 * duration;
    if (t < rise) return 0.7 + 0.3 * t / rise;
    if (t > duration - fall) return std::max(0.2, (duration - t) / fall);
    return 1.0;
  };
  const double perS = 600.0;
  const double firstSigma = std::max(uniform(0.4e-3, 1.2e-3), 0.75 / rate);
  // The first potential becomes visible 2 sigma before its centre: that is the onset.
  for (double t = 2 * firstSigma; t < duration; t += -std::log(1.0 - unit(rng_)) / perS) {
    const double a = (t == 2 * firstSigma ? 1.0 : envelope(t) * uniform(0.35, 1.0)) * (unit(rng_) < 0.5 ? 1 : -1);
    addPotential(t, t == 2 * firstSigma ? firstSigma : uniform(0.4e-3, 1.5e-3), a, static_cast<int>(uniform(0, 3)) % 3);
  }
  double peak = 0;
  for (double v : wave_) peak = std::max(peak, std::fabs(v));
  if (peak > 0) {
    for (double& v : wave_) v *= peakUv_ / peak;
  }
}

}  // namespace tautband::devices::sim
