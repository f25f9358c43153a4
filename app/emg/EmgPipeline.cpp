#include "emg/EmgPipeline.h"

#include "core/Logging.h"
#include "emg/Energy.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

namespace tautband::emg {

namespace {

std::uint64_t framesFor(double ms, double rate) {
  return static_cast<std::uint64_t>(std::llround(std::max(0.0, ms) * rate / 1000.0));
}

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

// What filterBlock hands the vectorised kernel (FilterKernel.inc).
struct FilterJob {
  const float* in;          // frames x inStride
  std::size_t inStride;
  std::size_t frames;
  std::size_t stride;       // padded channel count (multiple of kLanes): row length of the buffers below
  const float* coeffs;      // 5 per section
  float* z1;                // sections x stride
  float* z2;
  float* sums;              // stride
  float* tk1;               // stride (TKEO only)
  float* tk2;
  float* xRing;             // ring x stride
  float* eRing;
  std::uint64_t ringMask;
  std::uint64_t firstFrame;
  std::uint64_t energyDelay;
  std::uint64_t smoothN;
  float inv;
  float* smoothed;          // frames x stride
  std::size_t resyncAt;     // frame of the block after which the sums are recomputed (or >= frames)
  const std::size_t* segEnds;  // end frame of each baseline-block segment
  std::size_t segments;
  float* segMax;            // segments x stride
  float* segSum;
};

// The kernel twice: for the x86-64 baseline and, chosen at run time where the
// CPU has it, for AVX2 (docs/EMG.md "Benchmark"). Same arithmetic, same results.
#define TAUTBAND_EMG_KERNEL_NS kernel_sse2
#define TAUTBAND_EMG_KERNEL_WIDTH 4
#include "emg/FilterKernel.inc"
#undef TAUTBAND_EMG_KERNEL_NS
#undef TAUTBAND_EMG_KERNEL_WIDTH
static_assert(EmgPipeline::kLanes == kernel_sse2::kWidth, "buffers are padded to whole SSE2 vectors");
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define TAUTBAND_EMG_HAVE_AVX2_KERNEL 1
#pragma GCC push_options
#pragma GCC target("avx2")
#define TAUTBAND_EMG_KERNEL_NS kernel_avx2
#define TAUTBAND_EMG_KERNEL_WIDTH 8
#include "emg/FilterKernel.inc"
#undef TAUTBAND_EMG_KERNEL_NS
#undef TAUTBAND_EMG_KERNEL_WIDTH
#pragma GCC pop_options
#endif

}  // namespace

EmgPipeline::EmgPipeline(double sampleRateHz, std::size_t channels, const PipelineSettings& settings,
                         LtrEventSink* sink)
    : rate_(sampleRateHz), channels_(channels), settings_(settings), sink_(sink) {
  require(sampleRateHz >= kMinSampleRateHz && sampleRateHz <= kMaxSampleRateHz,
          "sample rate " + std::to_string(sampleRateHz) + " Hz is outside 100 Hz .. 200 kHz");
  require(channels >= 1 && channels <= kMaxChannels, "channel count must be 1..64");
  const auto& d = settings.detector;
  const auto& f = settings.filter;
  require(d.smoothingMs > 0 && d.minBurstMs > 0 && d.baselineBlockMs > 0 && d.baselineWindowS > 0,
          "smoothing, minimum burst, baseline block and window must be positive");
  require(d.baselineWindowS * 1000.0 >= 5 * d.baselineBlockMs, "baseline window must hold at least 5 blocks");
  require(d.smoothingMs <= 100 && d.onsetMaxGapMs <= 50 && d.offsetHoldMs <= 100,
          "smoothing <= 100 ms, onset gap <= 50 ms, offset hold <= 100 ms");
  require(d.onsetLevel > 0 && d.onsetLevel <= 1, "onset level must be in (0, 1]");
  require(d.activityWindowMs >= 0 && d.activityWindowMs <= 20, "activity window must be 0..20 ms");

  smoothN_ = std::max<std::uint64_t>(1, framesFor(d.smoothingMs, rate_));
  activityN_ = std::max<std::uint64_t>(1, framesFor(d.activityWindowMs, rate_));
  energyDelay_ = d.energy == EnergyOperator::kTeagerKaiser ? 1 : 0;
  minBurstN_ = std::max<std::uint64_t>(1, framesFor(d.minBurstMs, rate_));
  maxBurstN_ = std::max(minBurstN_ + 1, framesFor(d.maxBurstMs, rate_));
  holdN_ = std::max<std::uint64_t>(1, framesFor(d.offsetHoldMs, rate_));
  refractoryN_ = framesFor(d.refractoryMs, rate_);
  minActiveN_ = framesFor(d.minActiveMs, rate_);
  // At least two samples: at 250 Hz one sample cannot bridge even one zero crossing.
  gapN_ = std::max<std::uint64_t>(2, framesFor(d.onsetMaxGapMs, rate_));
  blockN_ = std::max<std::uint64_t>(1, framesFor(d.baselineBlockMs, rate_));
  insertRejectN_ = framesFor(d.insertionRejectMs, rate_);
  insertLeadN_ = framesFor(d.insertionLeadMs, rate_);
  spikeWindowN_ = framesFor(d.spikeTrainWindowMs, rate_);
  spikeWaitN_ = framesFor(d.spikeTrainMaxWaitMs, rate_);
  guardN_ = framesFor(d.blankingGuardMs, rate_);
  invSmoothN_ = 1.0f / static_cast<float>(smoothN_);
  resyncEvery_ = std::max<std::uint64_t>(4096, 8 * smoothN_);
  // At most one resync per processing block (the block loop's `untilResync` must not wrap).
  static_assert(4096 > kMaxBlockFrames, "the moving-sum resync period must exceed one processing block");

  sections_ = designButterworthHighPass(f.highPassHz, f.highPassOrder, rate_);
  if (f.notchHz > 0) sections_.push_back(designNotch(f.notchHz, f.notchQ, rate_));
  for (const auto& s : sections_) {
    for (double v : {s.b0, s.b1, s.b2, s.a1, s.a2}) sectionCoeffs_.push_back(static_cast<float>(v));
  }
  require(sections_.size() >= 1 && sections_.size() <= kMaxSections, "at most 3 filter sections");
  stride_ = (channels_ + kLanes - 1) / kLanes * kLanes;
#ifdef TAUTBAND_EMG_HAVE_AVX2_KERNEL
  // TAUTBAND_EMG_SIMD=sse2 forces the baseline kernel (tests compare the two).
  const char* simd = std::getenv("TAUTBAND_EMG_SIMD");
  useAvx2_ = __builtin_cpu_supports("avx2") && !(simd != nullptr && std::string(simd) == "sse2");
#endif
  z1_.assign(sections_.size() * stride_, 0.f);
  z2_.assign(sections_.size() * stride_, 0.f);
  tkPrev1_.assign(stride_, 0.f);
  tkPrev2_.assign(stride_, 0.f);
  movingSum_.assign(stride_, 0.f);

  // The ring must reach back over one processing block plus the longest look-back.
  const std::uint64_t lookBack = smoothN_ + gapN_ + holdN_ + 2 * activityN_ + 16;
  const std::uint64_t ring = std::bit_ceil(kMaxBlockFrames + lookBack);
  ringMask_ = ring - 1;
  xRing_.assign(ring * stride_, 0.f);
  eRing_.assign(ring * stride_, 0.f);
  smoothed_.assign(kMaxBlockFrames * stride_, 0.f);
  // Input copied here (padding lanes stay zero) when the channel count is not a
  // multiple of kLanes or a blanking interval holds the input.
  staged_.assign(kMaxBlockFrames * stride_, 0.f);
  holdInput_.assign(kMaxBlockFrames, 0);
  noDetect_.assign(kMaxBlockFrames, 0);
  holdRow_.assign(channels_, 0.f);
  const std::size_t maxSegments = kMaxBlockFrames / static_cast<std::size_t>(blockN_) + 2;
  segEnds_.assign(maxSegments, 0);
  segMax_.assign(maxSegments * stride_, 0.f);
  segSum_.assign(maxSegments * stride_, 0.f);
  lastRow_.assign(channels_, 0.f);

  const auto blocks = static_cast<std::size_t>(std::ceil(d.baselineWindowS * 1000.0 / d.baselineBlockMs));
  const auto warmBlocks = static_cast<std::size_t>(std::ceil(d.warmUpS * 1000.0 / d.baselineBlockMs));
  state_.resize(channels_);
  baselines_.reserve(channels_);
  for (std::size_t c = 0; c < channels_; ++c) {
    baselines_.emplace_back(d, blocks, std::max<std::size_t>(warmBlocks, 5));
    state_[c].on = baselines_[c].onThreshold();
    state_[c].off = baselines_[c].offThreshold();
  }
  core::logger(core::subsystem::kEmg)
      ->debug("EMG pipeline: {} ch at {} Hz, {} filter sections, smoothing {} frames, energy {}", channels_, rate_,
              sections_.size(), smoothN_, d.energy == EnergyOperator::kTeagerKaiser ? "TKEO" : "squared");
}

std::uint64_t EmgPipeline::sampleAtTime(double sessionTimeS) const {
  const double s = (sessionTimeS - timeOffsetS_) * rate_;
  return s <= 0 ? 0 : static_cast<std::uint64_t>(std::llround(s));
}

void EmgPipeline::markInsertionAtTime(double sessionTimeS) { markInsertionAtSample(sampleAtTime(sessionTimeS)); }

void EmgPipeline::markInsertionAtSample(std::uint64_t sample) {
  if (markCount_ == kMarkCapacity) ++stats_.droppedMarks;
  marks_[markNext_] = sample;
  markNext_ = (markNext_ + 1) % kMarkCapacity;
  markCount_ = std::min(markCount_ + 1, kMarkCapacity);
  // A late mark withdraws what it explains: the burst in progress and recent events.
  for (std::size_t c = 0; c < channels_; ++c) {
    auto& st = state_[c];
    if ((st.phase == Phase::kEmitted || st.phase == Phase::kCandidate) && inInsertionWindow(st.onset)) {
      if (st.phase == Phase::kEmitted) retract(st.event);
      ++stats_.rejectedInsertion;
      suppress(c);
    }
  }
  for (std::size_t i = 0; i < recentCount_; ++i) {
    auto& e = recent_[i];
    if (e.id != 0 && inInsertionWindow(e.onsetSample)) {
      retract(e);
      e.id = 0;
    }
  }
}

void EmgPipeline::addBlankingTime(double startS, double endS) {
  addBlanking(sampleAtTime(startS), sampleAtTime(endS));
}

void EmgPipeline::addBlanking(std::uint64_t firstSample, std::uint64_t endSample) {
  if (endSample <= firstSample) return;
  if (blankCount_ == kMarkCapacity) ++stats_.droppedMarks;
  blanking_[blankNext_] = {firstSample, endSample};
  blankNext_ = (blankNext_ + 1) % kMarkCapacity;
  blankCount_ = std::min(blankCount_ + 1, kMarkCapacity);
}

bool EmgPipeline::inInsertionWindow(std::uint64_t onset) const {
  for (std::size_t i = 0; i < markCount_; ++i) {
    const std::uint64_t m = marks_[i];
    if (onset + insertLeadN_ >= m && onset <= m + insertRejectN_) return true;
  }
  return false;
}

void EmgPipeline::publish(const LtrEvent& e, LtrUpdate u) {
  if (sink_ != nullptr) sink_->onLtr(e, u);
}

void EmgPipeline::retract(LtrEvent& event) {
  ++stats_.retracted;
  publish(event, LtrUpdate::kRetracted);
}

void EmgPipeline::process(const float* in, std::size_t frames) {
  while (frames > 0) {
    const std::size_t n = std::min(frames, kMaxBlockFrames);
    prepareBlanking(n);
    filterBlock(in, n);
    scanBlock(n);
    frame_ += n;
    in += n * channels_;
    frames -= n;
  }
}

void EmgPipeline::prepareBlanking(std::size_t frames) {
  std::fill_n(holdInput_.begin(), frames, std::uint8_t{0});
  std::fill_n(noDetect_.begin(), frames, std::uint8_t{0});
  anyHold_ = false;
  anyNoDetect_ = false;
  const std::uint64_t first = frame_;
  const std::uint64_t end = frame_ + frames;
  for (std::size_t i = 0; i < blankCount_; ++i) {
    const auto& iv = blanking_[i];
    const std::uint64_t guardEnd = iv.end + guardN_;
    if (guardEnd <= first || iv.first >= end) continue;
    for (std::uint64_t n = std::max(iv.first, first); n < std::min(guardEnd, end); ++n) {
      noDetect_[n - first] = 1;
      anyNoDetect_ = true;
      if (n < iv.end) {
        holdInput_[n - first] = 1;
        anyHold_ = true;
      }
    }
  }
}

// The filter, energy and moving sum of one processing block (filterQuads), and
// per baseline-block segment each channel's max and sum of the smoothed energy
// for scanBlock.
void EmgPipeline::filterBlock(const float* in, std::size_t frames) {
  const std::size_t C = channels_;
  const std::size_t P = stride_;
  const float* src = in;
  std::size_t srcStride = C;
  if (P != C || anyHold_) {
    for (std::size_t f = 0; f < frames; ++f) {
      const float* row = in + f * C;
      if (holdInput_[f]) {
        // Sample-and-hold the last clean input so the stimulus never rings the filters.
        const bool entering = f == 0 ? !lastFrameHeld_ : holdInput_[f - 1] == 0;
        if (entering) std::copy_n(f == 0 ? lastRow_.data() : in + (f - 1) * C, C, holdRow_.data());
        row = holdRow_.data();
      }
      std::copy_n(row, C, &staged_[f * P]);
    }
    src = staged_.data();
    srcStride = P;
  }
  // Baseline-block segments of this processing block (as scanBlock walks them).
  std::size_t segments = 0;
  std::uint64_t pos = blockPos_;
  for (std::size_t first = 0; first < frames;) {
    const std::size_t last = std::min<std::size_t>(frames, first + static_cast<std::size_t>(blockN_ - pos));
    segEnds_[segments++] = last;
    pos = (pos + (last - first)) % blockN_;
    first = last;
  }
  const std::uint64_t untilResync = resyncEvery_ - sinceResync_;  // >= 1
  const std::size_t resyncAt = untilResync <= frames ? static_cast<std::size_t>(untilResync - 1) : frames;
  sinceResync_ = resyncAt < frames ? frames - 1 - resyncAt : sinceResync_ + frames;

  const FilterJob job{.in = src, .inStride = srcStride, .frames = frames, .stride = P,
                      .coeffs = sectionCoeffs_.data(), .z1 = z1_.data(), .z2 = z2_.data(),
                      .sums = movingSum_.data(), .tk1 = tkPrev1_.data(), .tk2 = tkPrev2_.data(),
                      .xRing = xRing_.data(), .eRing = eRing_.data(), .ringMask = ringMask_, .firstFrame = frame_,
                      .energyDelay = energyDelay_, .smoothN = smoothN_, .inv = invSmoothN_,
                      .smoothed = smoothed_.data(), .resyncAt = resyncAt, .segEnds = segEnds_.data(),
                      .segments = segments, .segMax = segMax_.data(), .segSum = segSum_.data()};
  const bool tkeo = energyDelay_ == 1;
  std::size_t done = 0;
#ifdef TAUTBAND_EMG_HAVE_AVX2_KERNEL
  if (useAvx2_) {
    done = P / kernel_avx2::kWidth * kernel_avx2::kWidth;
    kernel_avx2::filterChannels(job, sections_.size(), tkeo, 0, done);
  }
#endif
  kernel_sse2::filterChannels(job, sections_.size(), tkeo, done, P);
  if (frames > 0) {
    lastFrameHeld_ = holdInput_[frames - 1] != 0;
    if (!lastFrameHeld_) std::copy_n(in + (frames - 1) * C, C, lastRow_.data());
  }
}

// Frames [first, last) of the block, none past a baseline-block boundary: the
// per-sample state machine of one channel (only for channels with a burst, a
// crossing or blanking in this segment; the rest take the vectorised path).
void EmgPipeline::scanChannel(std::size_t c, std::size_t first, std::size_t last) {
  auto& st = state_[c];
  const std::size_t P = stride_;
  const float* sm = smoothed_.data() + c;
  const bool warming = !baselines_[c].ready();
  const float provisional = baselines_[c].provisionalOnThreshold();
  for (std::size_t f = first; f < last; ++f) {
    const float s = sm[f * P];
    st.blockSum += s;
    st.blockMax = std::max(st.blockMax, s);
    if (st.phase != Phase::kIdle || s >= st.on) {
      const std::uint64_t n = frame_ + f;
      if (st.phase == Phase::kIdle) {
        startBurst(c, n, noDetect_[f] != 0);
      } else {
        continueBurst(c, n, s, noDetect_[f] != 0);
      }
      if (st.phase != Phase::kIdle && !st.tooLong) st.busyInBlock = true;
    }
    if (noDetect_[f]) st.busyInBlock = true;
    // Warming up there is no threshold yet; a block far above what the blocks
    // so far give (an LTR in the first second) must not enter the background.
    if (warming && s >= provisional) st.busyInBlock = true;
  }
}

// A baseline block ended: background blocks feed the baseline.
void EmgPipeline::closeBaselineBlock(std::size_t c) {
  auto& st = state_[c];
  auto& b = baselines_[c];
  // The textbook median+MAD sees every block; the quiet percentile only background ones.
  if (!st.busyInBlock || settings_.detector.baseline == BaselineMethod::kMedianMad) {
    b.push(settings_.detector.baselineUsesBlockPeak ? st.blockMax
                                                   : static_cast<float>(st.blockSum / static_cast<double>(blockN_)));
    st.on = b.onThreshold();
    st.off = b.offThreshold();
  }
  st.blockSum = 0;
  st.blockMax = 0;
  st.busyInBlock = st.phase != Phase::kIdle && !st.tooLong;
}

// The detector's scan of one processing block, split at baseline-block
// boundaries. Per segment, the max and sum of the smoothed energy of every
// channel come from one branch-free loop across channels (SIMD); a channel
// that is idle, stays under its on threshold (and, warming up, under the
// provisional one) and is not blanked needs nothing else. Only the others run
// the per-sample state machine. Same results as scanning every sample.
void EmgPipeline::scanBlock(std::size_t frames) {
  const std::size_t C = channels_;
  std::size_t first = 0;
  for (std::size_t k = 0; first < frames; ++k) {
    const std::size_t last = segEnds_[k];
    const float* mx = &segMax_[k * stride_];
    const float* sum = &segSum_[k * stride_];
    bool blanked = false;
    if (anyNoDetect_) {
      for (std::size_t f = first; f < last; ++f) blanked |= noDetect_[f] != 0;
    }
    for (std::size_t c = 0; c < C; ++c) {
      auto& st = state_[c];
      const bool quiet = st.phase == Phase::kIdle && !blanked && mx[c] < st.on &&
                         (baselines_[c].ready() || mx[c] < baselines_[c].provisionalOnThreshold());
      if (quiet) {
        st.blockSum += sum[c];
        st.blockMax = std::max(st.blockMax, mx[c]);
      } else {
        scanChannel(c, first, last);
      }
    }
    blockPos_ += last - first;
    if (blockPos_ == blockN_) {
      blockPos_ = 0;
      for (std::size_t c = 0; c < C; ++c) closeBaselineBlock(c);
    }
    first = last;
  }
}

float EmgPipeline::activitySumAt(std::size_t c, std::uint64_t k) const {
  float sum = 0;
  const std::uint64_t first = k + 1 > activityN_ ? k + 1 - activityN_ : 0;
  for (std::uint64_t j = first; j <= k; ++j) sum += ringE(j, c);
  return sum;
}

// The onset: walking back from the threshold crossing, the earliest active
// sample (activity window at the onset level) of a run with gaps no longer than
// onsetMaxGap; then, inside that sample's window, the first sample whose own
// energy reaches the level (sample precision without letting single noise
// samples chain the onset backwards).
std::uint64_t EmgPipeline::refineOnset(std::size_t c, std::uint64_t n) const {
  const float level = static_cast<float>(settings_.detector.onsetLevel) * state_[c].on;
  const float levelSum = level * static_cast<float>(activityN_);
  const std::uint64_t newest = n >= energyDelay_ ? n - energyDelay_ : 0;
  const std::uint64_t span = smoothN_ + gapN_;
  const std::uint64_t oldest = newest > span ? newest - span : 0;
  std::uint64_t onset = n;
  bool found = false;
  float sum = activitySumAt(c, newest);
  for (std::uint64_t k = newest + 1; k-- > oldest;) {
    if (sum >= levelSum) {
      onset = k;
      found = true;
    } else if (found && onset - k > gapN_) {
      break;
    }
    // Slide the window (k - activityN_, k] one sample back.
    if (k >= activityN_) sum += ringE(k - activityN_, c);
    if (k > 0) sum -= ringE(k, c);
  }
  if (!found) return n > smoothN_ / 2 ? n - smoothN_ / 2 : 0;
  const std::uint64_t first = onset + 1 > activityN_ ? onset + 1 - activityN_ : 0;
  for (std::uint64_t k = std::max(first, oldest); k <= onset; ++k) {
    if (ringE(k, c) >= level) return k;
  }
  return onset;
}

std::uint64_t EmgPipeline::refineOffset(std::size_t c, std::uint64_t fall) const {
  const auto& st = state_[c];
  const float level = static_cast<float>(settings_.detector.onsetLevel) * st.on;
  const std::uint64_t newest = fall >= energyDelay_ ? fall - energyDelay_ : 0;
  const std::uint64_t span = smoothN_ + holdN_;
  const std::uint64_t oldest = std::max(st.onset, newest > span ? newest - span : 0);
  // The last active window, then its last sample at the level.
  for (std::uint64_t k = newest + 1; k-- > oldest;) {
    if (activitySumAt(c, k) >= level * static_cast<float>(activityN_)) {
      for (std::uint64_t j = k + 1; j-- > oldest;) {
        if (ringE(j, c) >= level) return j;
      }
      return k;
    }
  }
  return std::max(st.onset, fall);
}

void EmgPipeline::startBurst(std::size_t c, std::uint64_t n, bool noDetect) {
  auto& st = state_[c];
  st.crossings[st.crossingNext] = n;
  st.crossingNext = (st.crossingNext + 1) % kRecentCrossings;
  st.crossingCount = std::min(st.crossingCount + 1, kRecentCrossings);
  st.onset = refineOnset(c, n);
  st.crossing = n;
  st.lastActive = st.onset;
  st.activitySum = n >= energyDelay_ + 1 ? activitySumAt(c, n - energyDelay_ - 1) : 0;
  st.below = 0;
  st.tooLong = false;
  st.peakAbs = 0;
  st.maxSquare = 0;
  st.sumSquare = 0;
  st.squareCount = 0;
  st.maxSmoothed = 0;
  for (std::uint64_t k = st.onset; k < n; ++k) {
    const float x = ringX(k, c);
    st.peakAbs = std::max(st.peakAbs, std::fabs(x));
    st.maxSquare = std::max(st.maxSquare, x * x);
    st.sumSquare += static_cast<double>(x) * x;
    ++st.squareCount;
  }
  if (noDetect) {
    ++stats_.rejectedBlanking;
    st.phase = Phase::kSuppressed;
  } else if (n < st.refractoryUntil || st.onset < st.refractoryUntil) {
    ++stats_.rejectedRefractory;
    st.phase = Phase::kSuppressed;
  } else {
    st.phase = Phase::kCandidate;
  }
  continueBurst(c, n, st.on, noDetect);
}

void EmgPipeline::continueBurst(std::size_t c, std::uint64_t n, float smoothed, bool noDetect) {
  auto& st = state_[c];
  // Only decide() reads a burst's statistics, and only while it is a candidate;
  // an emitted event needs its peak (the offset update); a suppressed burst only
  // has to end (startBurst resets them all). So each phase does only what it needs.
  if (st.phase != Phase::kSuppressed) {
    const float x = ringX(n, c);
    st.peakAbs = std::max(st.peakAbs, std::fabs(x));
    if (st.phase == Phase::kCandidate) {
      st.maxSquare = std::max(st.maxSquare, x * x);
      st.sumSquare += static_cast<double>(x) * x;
      ++st.squareCount;
      st.maxSmoothed = std::max(st.maxSmoothed, smoothed);
      if (n >= energyDelay_) {
        const std::uint64_t k = n - energyDelay_;  // newest sample with a known energy
        st.activitySum += ringE(k, c) - (k >= activityN_ ? ringE(k - activityN_, c) : 0.f);
        if (st.activitySum >=
            static_cast<float>(settings_.detector.onsetLevel * static_cast<double>(activityN_)) * st.on) {
          st.lastActive = k;
        }
      }
    }
  }

  if (smoothed < st.off) {
    if (++st.below >= holdN_) {
      endBurst(c, n + 1 - holdN_);
      return;
    }
  } else {
    st.below = 0;
  }
  if (!st.tooLong && n - st.onset > maxBurstN_) {
    st.tooLong = true;
    if (st.phase == Phase::kEmitted) retract(st.event);
    if (st.phase != Phase::kSuppressed) suppress(c);
    return;
  }
  if (st.phase == Phase::kCandidate) {
    if (noDetect) {
      ++stats_.rejectedBlanking;
      suppress(c);
    } else if (n + 1 - st.onset >= minBurstN_ && n - st.crossing >= minActiveN_) {
      decide(c, n);
    }
  }
}

void EmgPipeline::suppress(std::size_t c) { state_[c].phase = Phase::kSuppressed; }

void EmgPipeline::decide(std::size_t c, std::uint64_t n) {
  auto& st = state_[c];
  const auto& d = settings_.detector;
  if (st.lastActive < st.onset + minActiveN_ || n - st.lastActive > holdN_) {
    // The energy is above the off threshold only because the moving average
    // remembers one big potential (a MUAP) or a discharge that has already
    // stopped (no active sample for an offset hold): no sustained discharge
    // at the moment the event would be emitted.
    ++stats_.rejectedSparse;
    suppress(c);
    return;
  }
  if (inInsertionWindow(st.onset)) {
    ++stats_.rejectedInsertion;
    suppress(c);
    return;
  }
  if (st.peakAbs < d.minPeakUv) {
    ++stats_.rejectedWeak;
    suppress(c);
    return;
  }
  const double meanSquare = st.squareCount > 0 ? st.sumSquare / static_cast<double>(st.squareCount) : 0;
  const double fill = st.maxSquare > 0 ? meanSquare / st.maxSquare : 0;
  std::size_t repeats = 0;
  for (std::size_t i = 0; i < st.crossingCount; ++i) {
    if (n - st.crossings[i] <= spikeWindowN_) ++repeats;
  }
  if (st.peakAbs < d.spikeTrainMaxPeakUv &&
      (fill < d.spikeTrainMaxFill || static_cast<int>(repeats) >= d.spikeTrainMinRepeats)) {
    // Looks like a spike train so far. A discharge that is still building up
    // gets up to spikeTrainMaxWait more to show its amplitude or density; a
    // real train never does and is rejected when the wait is over.
    if (n + 1 < st.onset + minBurstN_ + spikeWaitN_) return;
    ++stats_.rejectedSpikeTrain;
    suppress(c);
    return;
  }
  // Confidence: how far the energy rose above the on threshold, and how densely
  // the burst fills its span (a polyphasic discharge, not one sharp spike).
  const double strength = st.on > 0 ? st.maxSmoothed / st.on : 1.0;
  const double rise = 1.0 - std::exp(-(std::max(strength, 1.0) - 1.0));
  const double dense = std::min(1.0, fill / (2.0 * d.spikeTrainMaxFill));
  LtrEvent& e = st.event;
  e = LtrEvent{};
  e.id = nextId_++;
  e.channel = static_cast<int>(c);
  e.onsetSample = st.onset;
  e.onsetS = timeOfSample(st.onset);
  e.peakUv = st.peakAbs;
  e.confidence = static_cast<float>(std::clamp(0.6 * rise + 0.4 * dense, 0.0, 1.0));
  e.emittedAtSample = n;
  st.phase = Phase::kEmitted;
  ++stats_.detected;
  publish(e, LtrUpdate::kDetected);
}

void EmgPipeline::endBurst(std::size_t c, std::uint64_t fall) {
  auto& st = state_[c];
  if (st.phase == Phase::kEmitted) {
    auto& e = st.event;
    e.offsetSample = refineOffset(c, fall);
    e.offsetS = timeOfSample(e.offsetSample);
    e.hasOffset = true;
    e.peakUv = st.peakAbs;
    st.refractoryUntil = e.offsetSample + refractoryN_;
    ++stats_.ended;
    publish(e, LtrUpdate::kEnded);
    recent_[recentNext_] = e;
    recentNext_ = (recentNext_ + 1) % kRecentEvents;
    recentCount_ = std::min(recentCount_ + 1, kRecentEvents);
  } else if (st.phase == Phase::kCandidate) {
    ++stats_.droppedShort;
  }
  st.phase = Phase::kIdle;
  st.below = 0;
  st.tooLong = false;
}

}  // namespace tautband::emg
