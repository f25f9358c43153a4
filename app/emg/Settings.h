#pragma once

// Every setting of the EMG pipeline, in physical units. The defaults were tuned
// with the accuracy harness in tests/emg (docs/EMG.md gives the numbers).

namespace tautband::emg {

enum class EnergyOperator {
  kTeagerKaiser,  // |x[n]^2 - x[n-1]*x[n+1]|, weights high frequencies (Li, Zhou & Aruin 2007)
  kSquared,       // x[n]^2
};

enum class BaselineMethod {
  kQuietPercentile,  // high percentile of recent block energies outside bursts (default)
  kMedianMad,        // plain median + k*MAD of all recent block energies (for comparison)
};

struct FilterSettings {
  // High-pass against motion artefact and drift. Butterworth, order 2 or 4.
  // Order 2 is the default: one biquad per channel, the least ringing after an
  // insertion transient and no measurable loss of accuracy (docs/EMG.md).
  double highPassHz = 20.0;
  int highPassOrder = 2;
  // Mains notch: 0 = off, otherwise e.g. 50 or 60 Hz with quality factor notchQ.
  double notchHz = 0.0;
  double notchQ = 30.0;
};

struct DetectorSettings {
  EnergyOperator energy = EnergyOperator::kSquared;
  // Moving average of the energy (≈ moving RMS squared).
  double smoothingMs = 15.0;

  // Adaptive baseline of the smoothed energy.
  BaselineMethod baseline = BaselineMethod::kQuietPercentile;
  double baselineWindowS = 4.0;    // history the baseline looks at
  double baselineBlockMs = 20.0;   // one baseline value per block of this length:
  bool baselineUsesBlockPeak = true;  // the block's peak smoothed energy (else its mean)
  double baselinePercentile = 95;  // kQuietPercentile: percentile of quiet blocks
  double onFactor = 4.0;           // kQuietPercentile: on threshold = onFactor x level
  double offFactor = 1.5;          // kQuietPercentile: off threshold = offFactor x level
  double madOnK = 8.0;             // kMedianMad: on = median + madOnK x 1.4826 MAD
  double madOffK = 3.0;            // kMedianMad: off = median + madOffK x 1.4826 MAD
  double warmUpS = 1.0;            // no detection before this much baseline history

  // Burst rules.
  // An event is emitted once a burst has lasted this long from its onset and,
  // when the onset refinement reached back before the threshold crossing, at
  // least minActiveMs after the crossing (so the rules below always judge that
  // much supra-threshold discharge).
  double minBurstMs = 20.0;
  double maxBurstMs = 600.0;   // longer bursts are not LTRs: retracted, and fed to the baseline
  double offsetHoldMs = 8.0;   // the energy must stay below the off threshold this long to end a burst
  double refractoryMs = 250.0; // after a burst's offset no new burst can start
  // Sustained discharge: the raw energy must still reach the onset level this long
  // after the onset (one big MUAP is a few ms; the moving average alone would
  // stretch it past the minimum burst).
  double minActiveMs = 10.0;
  double minPeakUv = 50.0;     // bursts whose peak stays below this are ignored (near-silent input)

  // Onset/offset refinement: the first/last sample whose raw energy reaches
  // onsetLevel x on threshold, bridging gaps up to onsetMaxGapMs. A sample
  // counts as active only when the raw energy averaged over the activityWindowMs
  // ending there reaches that level: a window of fixed time, so white noise
  // (whose single samples exceed the level more often the more samples a gap
  // holds) cannot bridge back to a false onset at high rates (docs/EMG.md, the
  // 16/48 kHz finding). 1 sample at 250 Hz, 2 at 4 kHz, 8 at 16 kHz, 24 at 48 kHz.
  double onsetLevel = 0.5;
  double onsetMaxGapMs = 4.0;
  double activityWindowMs = 0.5;

  // Insertional activity: bursts starting within [mark - insertionLeadMs,
  // mark + insertionRejectMs] of an insertion/redirection mark are rejected.
  double insertionRejectMs = 300.0;
  double insertionLeadMs = 50.0;

  // Endplate-spike trains: a burst whose peak is below spikeTrainMaxPeakUv AND
  // that is narrow (energy fill factor below spikeTrainMaxFill) or repetitive
  // (at least spikeTrainMinRepeats threshold crossings in spikeTrainWindowMs) is rejected.
  // A burst that looks like a train at the minimum burst length is watched up to
  // spikeTrainMaxWaitMs longer: emitted as soon as it no longer looks like one
  // (a polyphasic LTR still building up), rejected at the end of the wait.
  double spikeTrainMaxPeakUv = 300.0;
  double spikeTrainMaxFill = 0.12;
  double spikeTrainWindowMs = 1000.0;
  int spikeTrainMinRepeats = 3;
  double spikeTrainMaxWaitMs = 15.0;

  // E-stim blanking: detection stays off this long after a blanking interval.
  double blankingGuardMs = 5.0;
};

struct PipelineSettings {
  FilterSettings filter;
  DetectorSettings detector;
};

}  // namespace tautband::emg
