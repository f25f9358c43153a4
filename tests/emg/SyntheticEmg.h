#pragma once

// Synthetic needle EMG with known truth, for the accuracy harness, the unit
// tests and the benchmarks. Waveforms are evaluated analytically at the target
// rate (potential widths floored at 0.75 sample so 250 Hz still sees smooth
// shapes, as a device's anti-alias filter would give). Everything is seeded.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

namespace tautband::emg::synth {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : gen_(seed) {}
  double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(gen_); }
  double normal(double sd) { return std::normal_distribution<double>(0.0, sd)(gen_); }
  double exponential(double mean) { return std::exponential_distribution<double>(1.0 / mean)(gen_); }
  bool coin(double p) { return uniform(0, 1) < p; }
  std::mt19937_64& engine() { return gen_; }

 private:
  std::mt19937_64 gen_;
};

enum class Shape { kMonophasicNegative, kBiphasicNegativeFirst, kBiphasicPositiveFirst, kTriphasic };

inline double shapeValue(Shape shape, double u) {  // u = t / sigma, peak |value| = 1
  switch (shape) {
    case Shape::kMonophasicNegative: return -std::exp(-0.5 * u * u);
    case Shape::kBiphasicNegativeFirst: return u * std::exp(0.5 - 0.5 * u * u);
    case Shape::kBiphasicPositiveFirst: return -u * std::exp(0.5 - 0.5 * u * u);
    case Shape::kTriphasic: return (1 - u * u) * std::exp(-0.5 * u * u);
  }
  return 0;
}

inline double effectiveSigma(double sigmaS, double rate) { return std::max(sigmaS, 0.75 / rate); }

// Adds one potential centred at centreS. x is one channel at `rate`.
inline void addPotential(std::vector<float>& x, double rate, double centreS, double sigmaS, double amplitude,
                         Shape shape) {
  const double sigma = effectiveSigma(sigmaS, rate);
  const auto first = static_cast<long long>(std::ceil((centreS - 5 * sigma) * rate));
  const auto last = static_cast<long long>(std::floor((centreS + 5 * sigma) * rate));
  for (long long n = std::max(0LL, first); n <= last && n < static_cast<long long>(x.size()); ++n) {
    const double u = (static_cast<double>(n) / rate - centreS) / sigma;
    x[static_cast<std::size_t>(n)] += static_cast<float>(amplitude * shapeValue(shape, u));
  }
}

struct Burst {
  double onsetS = 0;
  double durationS = 0;
  double peakUv = 0;  // largest |sample| of the burst itself
};

// A polyphasic discharge (LTR-like, or insertional activity): dense overlapping
// bi/triphasic potentials of random width and polarity under a rise-plateau-decay
// envelope, scaled so its own peak is exactly peakUv. The onset is 2 sigma before
// the first potential's centre (where it becomes visible).
inline Burst addPolyphasicBurst(std::vector<float>& x, double rate, double onsetS, double durationS, double peakUv,
                                Rng& rng, double potentialsPerS = 600) {
  const double firstSigma = effectiveSigma(rng.uniform(0.4e-3, 1.2e-3), rate);
  const double startS = onsetS + 2 * firstSigma;
  const auto begin = static_cast<std::size_t>(std::max(0.0, std::floor(onsetS * rate)));
  const auto end = std::min(x.size(), static_cast<std::size_t>(std::ceil((onsetS + durationS + 0.02) * rate)));
  if (end <= begin) return {onsetS, durationS, 0};
  std::vector<float> burst(end - begin, 0.f);
  const double offsetS = static_cast<double>(begin) / rate;
  auto envelope = [&](double t) {  // t from onset
    const double rise = 0.15 * durationS, fall = 0.3 * durationS;
    if (t < rise) return 0.7 + 0.3 * t / rise;
    if (t > durationS - fall) return std::max(0.2, (durationS - t) / fall);
    return 1.0;
  };
  const Shape shapes[] = {Shape::kBiphasicNegativeFirst, Shape::kBiphasicPositiveFirst, Shape::kTriphasic};
  addPotential(burst, rate, startS - offsetS, firstSigma, rng.coin(0.5) ? 1.0 : -1.0,
               shapes[static_cast<int>(rng.uniform(0, 3)) % 3]);
  for (double t = startS + rng.exponential(1.0 / potentialsPerS); t < onsetS + durationS;
       t += rng.exponential(1.0 / potentialsPerS)) {
    const double a = envelope(t - onsetS) * rng.uniform(0.35, 1.0) * (rng.coin(0.5) ? 1 : -1);
    addPotential(burst, rate, t - offsetS, rng.uniform(0.4e-3, 1.5e-3), a,
                 shapes[static_cast<int>(rng.uniform(0, 3)) % 3]);
  }
  float peak = 0;
  for (float v : burst) peak = std::max(peak, std::fabs(v));
  const double scale = peak > 0 ? peakUv / peak : 0;
  for (std::size_t i = 0; i < burst.size(); ++i) x[begin + i] += static_cast<float>(burst[i] * scale);
  return {onsetS, durationS, peakUv};
}

// Endplate noise: continuous small monophasic negative potentials (10-50 µV,
// 1-2 ms) plus amplifier noise, slow drift/motion and a little mains.
inline void addEndplateNoise(std::vector<float>& x, double rate, Rng& rng, double potentialsPerS = 300,
                             double noiseUv = 4.0) {
  const double durationS = static_cast<double>(x.size()) / rate;
  for (double t = rng.exponential(1 / potentialsPerS); t < durationS; t += rng.exponential(1 / potentialsPerS)) {
    addPotential(x, rate, t, rng.uniform(0.25e-3, 0.45e-3), rng.uniform(10, 50), Shape::kMonophasicNegative);
  }
  double walk = 0;
  const double phase = rng.uniform(0, 6.28);
  for (std::size_t n = 0; n < x.size(); ++n) {
    const double t = static_cast<double>(n) / rate;
    walk = 0.9999 * walk + rng.normal(300.0 / std::sqrt(rate));
    x[n] += static_cast<float>(rng.normal(noiseUv) + 150 * std::sin(2 * std::numbers::pi * 0.7 * t + phase) + walk +
                               8 * std::sin(2 * std::numbers::pi * 50 * t));
  }
}

// Endplate-spike trains: biphasic initially negative spikes of 3-4 ms and
// 100-200 µV firing irregularly at up to 50 Hz, in trains of 0.5-4 s covering
// about `fraction` of the time.
inline void addSpikeTrains(std::vector<float>& x, double rate, Rng& rng, double fraction = 0.3) {
  const double durationS = static_cast<double>(x.size()) / rate;
  double t = rng.uniform(0.5, 2.0);
  while (t < durationS) {
    const double trainS = rng.uniform(0.5, 4.0);
    const double amp = rng.uniform(100, 200);
    for (double s = t; s < std::min(t + trainS, durationS); s += rng.uniform(0.02, 0.1)) {
      addPotential(x, rate, s, rng.uniform(0.6e-3, 0.8e-3), amp * rng.uniform(0.85, 1.15),
                   Shape::kBiphasicNegativeFirst);
    }
    t += trainS + rng.exponential(trainS * (1 - fraction) / fraction);
  }
}

struct NeedleScene {
  std::vector<float> samples;
  std::vector<Burst> ltrs;
  std::vector<std::uint64_t> insertionMarks;  // frame indices given to the detector
};

// A synthetic needle session: endplate noise, spike trains, an insertion every
// 6-12 s (insertional burst 0-30 ms after the mark, 50-250 ms, 0.5-2 mV) and,
// when withLtrs, LTRs of 20-120 ms and peak 200-1500 µV every 2.5-5 s, kept
// clear of insertions.
inline NeedleScene makeNeedleScene(double rate, double durationS, std::uint64_t seed, bool withLtrs) {
  Rng rng(seed);
  NeedleScene scene;
  scene.samples.assign(static_cast<std::size_t>(durationS * rate), 0.f);
  addEndplateNoise(scene.samples, rate, rng);
  addSpikeTrains(scene.samples, rate, rng);
  std::vector<double> insertions;
  for (double t = rng.uniform(2.0, 4.0); t < durationS - 1; t += rng.uniform(6.0, 12.0)) {
    insertions.push_back(t);
    scene.insertionMarks.push_back(static_cast<std::uint64_t>(t * rate));
    addPolyphasicBurst(scene.samples, rate, t + rng.uniform(0, 0.03), rng.uniform(0.05, 0.25), rng.uniform(500, 2000),
                       rng, 900);
  }
  if (withLtrs) {
    for (double t = rng.uniform(2.0, 3.0); t < durationS - 0.5; t += rng.uniform(2.5, 5.0)) {
      const bool nearInsertion = std::any_of(insertions.begin(), insertions.end(), [&](double i) {
        return t > i - 0.4 && t < i + 0.7;
      });
      if (nearInsertion) continue;
      scene.ltrs.push_back(addPolyphasicBurst(scene.samples, rate, t, rng.uniform(0.02, 0.12),
                                              rng.uniform(200, 1500), rng));
    }
  }
  return scene;
}

}  // namespace tautband::emg::synth
