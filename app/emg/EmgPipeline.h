#pragma once

#include "emg/Baseline.h"
#include "emg/Biquad.h"
#include "emg/LtrEvent.h"
#include "emg/Settings.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tautband::emg {

// The streaming, causal LTR detector for N channels at one sample rate:
//   high-pass (+ notch) -> energy (TKEO or x^2) -> moving average -> adaptive
//   baseline -> hysteresis, minimum burst, refractory, insertion/spike-train/
//   blanking rejection -> LtrEvent to the sink.
// Feed it blocks of interleaved frames (frame-major, channel-minor) in µV, as
// devices deliver them. Everything is preallocated in the constructor: process()
// never allocates. Not thread-safe: one thread owns a pipeline (docs/EMG.md).
class EmgPipeline {
 public:
  static constexpr std::size_t kMaxChannels = 64;
  // Per-frame buffers hold channels rounded up to a multiple of this (SIMD lanes).
  static constexpr std::size_t kLanes = 4;
  static constexpr std::size_t kMaxSections = 3;  // high-pass order 4 + notch
  static constexpr std::size_t kMaxBlockFrames = 1024;  // process() splits larger inputs
  static constexpr double kMinSampleRateHz = 100.0;
  static constexpr double kMaxSampleRateHz = 200000.0;

  struct Statistics {
    std::uint64_t detected = 0;
    std::uint64_t ended = 0;
    std::uint64_t retracted = 0;
    std::uint64_t rejectedInsertion = 0;
    std::uint64_t rejectedSpikeTrain = 0;
    std::uint64_t rejectedBlanking = 0;
    std::uint64_t rejectedRefractory = 0;
    std::uint64_t rejectedWeak = 0;
    std::uint64_t rejectedSparse = 0;
    std::uint64_t droppedShort = 0;
    std::uint64_t droppedMarks = 0;  // insertion/blanking marks overwritten before use
  };

  // Throws std::invalid_argument for a rate outside [100 Hz, 200 kHz], a channel
  // count outside [1, 64] or settings that make no sense at this rate.
  EmgPipeline(double sampleRateHz, std::size_t channels, const PipelineSettings& settings, LtrEventSink* sink);

  // frames x channels floats, interleaved, µV.
  void process(const float* interleavedUv, std::size_t frames);

  // An insertion or redirection of the needle at a frame index / session time.
  // May come before or after the samples it refers to; a mark arriving after an
  // event was emitted retracts that event if its onset lies in the window.
  void markInsertionAtSample(std::uint64_t sample);
  void markInsertionAtTime(double sessionTimeS);

  // E-stim blanking over [firstSample, endSample). Must arrive before those
  // samples are processed (the console commands the stimulator, so it knows).
  void addBlanking(std::uint64_t firstSample, std::uint64_t endSample);
  void addBlankingTime(double startS, double endS);

  // Session time of frame 0 (default 0).
  void setSessionTimeOfFirstSample(double seconds) { timeOffsetS_ = seconds; }

  // Which filter kernel runs: "avx2" where the CPU has it, else "sse2" (the
  // x86-64 baseline; also with TAUTBAND_EMG_SIMD=sse2). Same results either way.
  const char* simdKernel() const { return useAvx2_ ? "avx2" : "sse2"; }

  std::uint64_t framesProcessed() const { return frame_; }
  double sampleRateHz() const { return rate_; }
  std::size_t channels() const { return channels_; }
  const PipelineSettings& settings() const { return settings_; }
  const Statistics& statistics() const { return stats_; }
  std::uint64_t sampleAtTime(double sessionTimeS) const;
  double timeOfSample(std::uint64_t sample) const { return timeOffsetS_ + static_cast<double>(sample) / rate_; }

  // The high-passed (and notched) signal of a recent frame, µV: valid for the
  // last kMaxBlockFrames frames (tests, thumbnails around an event).
  float filtered(std::uint64_t frame, std::size_t channel) const { return ringX(frame, channel); }

  // Current thresholds of a channel (energy units; +inf while warming up).
  float onThreshold(std::size_t channel) const { return state_[channel].on; }
  float offThreshold(std::size_t channel) const { return state_[channel].off; }

 private:
  enum class Phase : std::uint8_t { kIdle, kCandidate, kEmitted, kSuppressed };
  static constexpr std::size_t kRecentCrossings = 16;
  static constexpr std::size_t kMarkCapacity = 64;
  static constexpr std::size_t kRecentEvents = 32;

  struct ChannelState {
    Phase phase = Phase::kIdle;
    bool tooLong = false;        // burst longer than maxBurst: its blocks feed the baseline
    bool busyInBlock = false;    // this baseline block is not background
    std::uint32_t below = 0;     // consecutive frames under the off threshold
    std::uint64_t onset = 0;
    std::uint64_t crossing = 0;  // sample where the smoothed energy crossed the on threshold
    std::uint64_t refractoryUntil = 0;
    float peakAbs = 0;
    float maxSquare = 0;
    double sumSquare = 0;
    std::uint64_t squareCount = 0;
    float maxSmoothed = 0;
    double blockSum = 0;
    float blockMax = 0;
    std::uint64_t lastActive = 0;  // last sample where the activity window reached the onset level
    float activitySum = 0;         // raw energy over the activity window ending at the current sample
    float on = 0;
    float off = 0;
    LtrEvent event;
    std::array<std::uint64_t, kRecentCrossings> crossings{};
    std::size_t crossingNext = 0;
    std::size_t crossingCount = 0;
  };
  struct Interval {
    std::uint64_t first = 0, end = 0;
  };

  void filterBlock(const float* in, std::size_t frames);
  void prepareBlanking(std::size_t frames);
  void scanBlock(std::size_t frames);
  void scanChannel(std::size_t c, std::size_t first, std::size_t last);
  void closeBaselineBlock(std::size_t c);
  void startBurst(std::size_t c, std::uint64_t n, bool noDetect);
  void continueBurst(std::size_t c, std::uint64_t n, float smoothed, bool noDetect);
  void decide(std::size_t c, std::uint64_t n);
  void endBurst(std::size_t c, std::uint64_t fallSample);
  void suppress(std::size_t c);
  void retract(LtrEvent& event);
  bool inInsertionWindow(std::uint64_t onset) const;
  std::uint64_t refineOnset(std::size_t c, std::uint64_t n) const;
  float activitySumAt(std::size_t c, std::uint64_t k) const;  // raw energy over (k - activityN_, k]
  std::uint64_t refineOffset(std::size_t c, std::uint64_t fall) const;
  float ringX(std::uint64_t n, std::size_t c) const { return xRing_[(n & ringMask_) * stride_ + c]; }
  float ringE(std::uint64_t n, std::size_t c) const { return eRing_[(n & ringMask_) * stride_ + c]; }
  void publish(const LtrEvent& e, LtrUpdate u);

  double rate_;
  std::size_t channels_;
  std::size_t stride_;  // channels_ rounded up to kLanes: the row length of every per-frame buffer
  bool useAvx2_ = false;
  PipelineSettings settings_;
  LtrEventSink* sink_;
  double timeOffsetS_ = 0;

  // Sizes in frames.
  std::uint64_t smoothN_, activityN_, energyDelay_, minActiveN_, minBurstN_, maxBurstN_, holdN_, refractoryN_, gapN_, blockN_;
  std::uint64_t insertRejectN_, insertLeadN_, spikeWindowN_, spikeWaitN_, guardN_;
  float invSmoothN_;

  std::vector<BiquadCoefficients> sections_;
  std::vector<float> sectionCoeffs_;  // 5 floats per section
  std::vector<float> z1_, z2_;        // sections x channels
  std::vector<float> tkPrev1_, tkPrev2_;
  std::vector<float> movingSum_;
  std::uint64_t resyncEvery_, sinceResync_ = 0;

  std::uint64_t ringMask_;
  std::vector<float> xRing_;  // filtered µV, ring x stride
  std::vector<float> eRing_;  // raw energy, ring x stride
  std::vector<float> smoothed_;  // kMaxBlockFrames x stride
  std::vector<float> staged_;    // kMaxBlockFrames x stride: padded / sample-and-held input
  std::vector<std::uint8_t> holdInput_, noDetect_;  // per frame of the block
  bool anyHold_ = false, anyNoDetect_ = false;      // in this block
  std::vector<float> holdRow_, lastRow_;
  std::vector<std::size_t> segEnds_;    // end frame of each baseline-block segment of the block
  std::vector<float> segMax_, segSum_;  // segments x stride: max and sum of the smoothed energy
  bool lastFrameHeld_ = false;

  std::vector<ChannelState> state_;
  std::vector<AdaptiveBaseline> baselines_;
  std::uint64_t blockPos_ = 0;

  std::array<std::uint64_t, kMarkCapacity> marks_{};
  std::size_t markNext_ = 0, markCount_ = 0;
  std::array<Interval, kMarkCapacity> blanking_{};
  std::size_t blankNext_ = 0, blankCount_ = 0;
  std::array<LtrEvent, kRecentEvents> recent_{};
  std::size_t recentNext_ = 0, recentCount_ = 0;

  std::uint64_t frame_ = 0;
  std::uint64_t nextId_ = 1;
  Statistics stats_;
};

}  // namespace tautband::emg
