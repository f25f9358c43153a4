#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

namespace tautband::devices::sim {

// The LTR every simulated EMG device sends (EmgModel, and SimSignal for the
// Cyton/BITalino boards), as EMG-LTR.md describes it: a polyphasic discharge
// of overlapping motor-unit potentials with an abrupt onset, scaled so that
// its largest sample is peakUv. Shapes come from their own generator, so the
// k-th LTR of a run has the same shape whenever it is injected (tests that
// need every LTR found stay deterministic whatever the timing). One burst at
// a time; starting another replaces it.
class LtrBurst {
 public:
  // runSeed: the simulator's seed; the shape generator is derived from it.
  LtrBurst(double peakUv, double durationMs, std::uint64_t runSeed);

  // Draws the next shape at rateHz, starting at sample `startSample`.
  void start(std::uint64_t startSample, double rateHz);
  // µV the burst adds at a sample (0 before its start and after its end).
  double at(std::uint64_t sample) const;

 private:
  void makeWave(double rateHz);

  double peakUv_;
  double durationMs_;
  std::mt19937_64 rng_;
  std::optional<std::uint64_t> startSample_;
  std::vector<double> wave_;  // µV per sample from startSample_
};

}  // namespace tautband::devices::sim
