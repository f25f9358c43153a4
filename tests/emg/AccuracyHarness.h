#pragma once

// Scoring of LTR detections against synthetic truth (EMG-LTR.md "Scoring"):
// one-to-one matching within ±50 ms of onset, precision/recall/F1, median onset
// error, false alarms per minute on background without twitches.

#include "SyntheticEmg.h"
#include "emg/EmgRecording.h"
#include "emg/OfflineDetection.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

namespace tautband::emg::harness {

struct TruthBurst {
  double onsetS = 0;
  bool scored = true;  // unscored: too small to count; matching it is neither TP nor FP
};

struct Score {
  int truths = 0, tp = 0, fp = 0, fn = 0;
  std::vector<double> onsetErrorMs;  // |detected - true| for true positives
  std::vector<double> latencyMs;     // emission - true onset for true positives
  double backgroundMinutes = 0;
  int backgroundAlarms = 0;

  void add(const Score& o) {
    truths += o.truths; tp += o.tp; fp += o.fp; fn += o.fn;
    onsetErrorMs.insert(onsetErrorMs.end(), o.onsetErrorMs.begin(), o.onsetErrorMs.end());
    latencyMs.insert(latencyMs.end(), o.latencyMs.begin(), o.latencyMs.end());
    backgroundMinutes += o.backgroundMinutes;
    backgroundAlarms += o.backgroundAlarms;
  }
  double precision() const { return tp + fp == 0 ? 1.0 : static_cast<double>(tp) / (tp + fp); }
  double recall() const { return tp + fn == 0 ? 1.0 : static_cast<double>(tp) / (tp + fn); }
  double f1() const {
    const double p = precision(), r = recall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }
  double alarmsPerMinute() const { return backgroundMinutes > 0 ? backgroundAlarms / backgroundMinutes : 0; }
};

inline double quantile(std::vector<double> v, double q) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const double rank = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(rank));
  const auto hi = static_cast<std::size_t>(std::ceil(rank));
  return v[lo] + (v[hi] - v[lo]) * (rank - static_cast<double>(lo));
}

inline Score match(const std::vector<TruthBurst>& truth, const std::vector<LtrEvent>& events, double rate,
                   double toleranceS = 0.05) {
  std::vector<std::tuple<double, std::size_t, std::size_t>> pairs;
  for (std::size_t t = 0; t < truth.size(); ++t) {
    for (std::size_t d = 0; d < events.size(); ++d) {
      const double err = std::fabs(events[d].onsetS - truth[t].onsetS);
      if (err <= toleranceS) pairs.emplace_back(err, t, d);
    }
  }
  std::sort(pairs.begin(), pairs.end());
  std::vector<bool> truthUsed(truth.size()), detUsed(events.size());
  Score s;
  for (const auto& [err, t, d] : pairs) {
    if (truthUsed[t] || detUsed[d]) continue;
    truthUsed[t] = detUsed[d] = true;
    if (!truth[t].scored) continue;
    ++s.tp;
    s.onsetErrorMs.push_back(err * 1000);
    s.latencyMs.push_back((static_cast<double>(events[d].emittedAtSample) / rate - truth[t].onsetS) * 1000);
  }
  for (std::size_t t = 0; t < truth.size(); ++t) {
    if (!truth[t].scored) continue;
    ++s.truths;
    if (!truthUsed[t]) ++s.fn;
  }
  for (std::size_t d = 0; d < events.size(); ++d) {
    if (!detUsed[d]) ++s.fp;
  }
  return s;
}

inline EmgRecording mono(std::vector<float> samples, double rate) {
  EmgRecording r;
  r.sampleRateHz = rate;
  r.channels = 1;
  r.samplesUv = std::move(samples);
  return r;
}

// Synthetic needle scenes at one rate: LTR scene scored for F1; the same kind of
// background without LTRs scored for false alarms per minute.
inline Score scoreNeedle(const PipelineSettings& settings, double rate, double durationS, std::uint64_t seed) {
  auto scene = synth::makeNeedleScene(rate, durationS, seed, true);
  std::vector<TruthBurst> truth;
  for (const auto& b : scene.ltrs) truth.push_back({b.onsetS, true});
  const auto withLtrs = detectLtrs(mono(std::move(scene.samples), rate), settings, scene.insertionMarks);
  Score s = match(truth, withLtrs.events, rate);
  auto quiet = synth::makeNeedleScene(rate, durationS, seed + 1000, false);
  const auto background = detectLtrs(mono(std::move(quiet.samples), rate), settings, quiet.insertionMarks);
  s.backgroundAlarms = static_cast<int>(background.events.size());
  s.backgroundMinutes = durationS / 60.0;
  return s;
}

inline double absPercentile(const std::vector<float>& x, double q) {
  std::vector<double> a(x.size());
  std::transform(x.begin(), x.end(), a.begin(), [](float v) { return std::fabs(static_cast<double>(v)); });
  return quantile(std::move(a), q);
}

// LTRs spliced into a (voluntary-activity) record: amplitudes 1.0-4.0 x the
// record's 99.9th-percentile |amplitude|; only those >= 1.5x are scored. False
// alarms are counted on the untouched record.
inline Score scoreRecord(const PipelineSettings& settings, const EmgRecording& record, int repeats,
                         std::uint64_t seed) {
  const double rate = record.sampleRateHz;
  const double p999 = absPercentile(record.samplesUv, 0.999);
  const double durationS = static_cast<double>(record.frames()) / rate;
  Score total;
  for (int r = 0; r < repeats; ++r) {
    synth::Rng rng(seed + static_cast<std::uint64_t>(r));
    std::vector<float> x = record.samplesUv;
    std::vector<TruthBurst> truth;
    for (double t = 2.0 + rng.uniform(0, 1.0); t < durationS - 0.3; t += rng.uniform(1.8, 3.5)) {
      const double factor = rng.uniform(1.0, 4.0);
      synth::addPolyphasicBurst(x, rate, t, rng.uniform(0.02, 0.12), factor * p999, rng);
      truth.push_back({t, factor >= 1.5});
    }
    const auto result = detectLtrs(mono(std::move(x), rate), settings);
    total.add(match(truth, result.events, rate));
  }
  const auto untouched = detectLtrs(record, settings);
  total.backgroundAlarms = static_cast<int>(untouched.events.size());
  total.backgroundMinutes = durationS / 60.0;
  return total;
}

inline void printHeader() {
  std::printf("%-26s %5s %4s %4s %4s %6s %6s %6s %8s %8s %8s %8s\n", "condition", "LTRs", "TP", "FP", "FN", "prec",
              "recall", "F1", "onset_ms", "lat_med", "lat_p99", "FA/min");
}

inline void printRow(const std::string& name, const Score& s) {
  std::printf("%-26s %5d %4d %4d %4d %6.3f %6.3f %6.3f %8.2f %8.1f %8.1f %8.2f\n", name.c_str(), s.truths, s.tp, s.fp,
              s.fn, s.precision(), s.recall(), s.f1(), quantile(s.onsetErrorMs, 0.5), quantile(s.latencyMs, 0.5),
              quantile(s.latencyMs, 0.99), s.alarmsPerMinute());
  std::fflush(stdout);
}

}  // namespace tautband::emg::harness
