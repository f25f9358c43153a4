#include "emg/Baseline.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cmath>
#include <limits>

namespace tautband::emg {

namespace {
constexpr float kNever = std::numeric_limits<float>::infinity();
// Keeps thresholds above zero on digital silence (µV² or TKEO units).
constexpr float kTinyEnergy = 1e-6f;
}  // namespace

AdaptiveBaseline::AdaptiveBaseline(const DetectorSettings& s, std::size_t capacityBlocks, std::size_t warmUpBlocks)
    : method_(s.baseline), percentile_(s.baselinePercentile), onFactor_(s.onFactor), offFactor_(s.offFactor),
      madOnK_(s.madOnK), madOffK_(s.madOffK), ring_(std::max<std::size_t>(capacityBlocks, 1)),
      sorted_(ring_.size()), scratch_(ring_.size()), warmUpBlocks_(std::clamp<std::size_t>(warmUpBlocks, 1, ring_.size())), on_(kNever),
      off_(kNever), provisionalOn_(kNever) {}

void AdaptiveBaseline::reset() {
  next_ = 0;
  count_ = 0;
  level_ = 0;
  on_ = off_ = provisionalOn_ = kNever;
}

void AdaptiveBaseline::insertSorted(float value) {
  // count_ values are in sorted_ and there is room for one more.
  const auto begin = sorted_.begin();
  const auto end = begin + static_cast<std::ptrdiff_t>(count_);
  const auto at = std::upper_bound(begin, end, value);
  std::move_backward(at, end, end + 1);
  *at = value;
}

void AdaptiveBaseline::eraseSorted(float value) {
  const auto begin = sorted_.begin();
  const auto end = begin + static_cast<std::ptrdiff_t>(count_);
  auto at = std::lower_bound(begin, end, value);
  if (at == end || !(*at == value)) {
    // Not ordered against the rest (NaN from a broken input): find it by its bits.
    const auto bits = std::bit_cast<std::uint32_t>(value);
    at = std::find_if(begin, end, [bits](float v) { return std::bit_cast<std::uint32_t>(v) == bits; });
    if (at == end) at = end - 1;
  }
  std::move(at + 1, end, at);
}

void AdaptiveBaseline::push(float blockEnergy) {
  if (count_ == ring_.size()) {
    eraseSorted(ring_[next_]);
    --count_;
  }
  insertSorted(blockEnergy);
  ring_[next_] = blockEnergy;
  next_ = (next_ + 1) % ring_.size();
  ++count_;
  if (count_ >= std::min<std::size_t>(5, warmUpBlocks_)) {
    recompute();
    provisionalOn_ = on_;
    if (!ready()) on_ = off_ = kNever;
  }
}

void AdaptiveBaseline::recompute() {
  const auto n = count_;
  if (method_ == BaselineMethod::kQuietPercentile) {
    const auto rank = static_cast<std::size_t>(
        std::clamp(percentile_ / 100.0 * static_cast<double>(n - 1), 0.0, static_cast<double>(n - 1)));
    level_ = std::max(sorted_[rank], kTinyEnergy);
    on_ = static_cast<float>(onFactor_ * level_);
    off_ = static_cast<float>(offFactor_ * level_);
    return;
  }
  // nth_element on a preallocated copy: O(n) per block, no allocation.
  std::copy_n(ring_.begin(), n, scratch_.begin());
  auto begin = scratch_.begin();
  auto end = begin + static_cast<std::ptrdiff_t>(n);
  const auto mid = static_cast<std::ptrdiff_t>(n / 2);
  std::nth_element(begin, begin + mid, end);
  const float median = begin[mid];
  for (auto it = begin; it != end; ++it) *it = std::fabs(*it - median);
  std::nth_element(begin, begin + mid, end);
  const float sigma = std::max(1.4826f * begin[mid], kTinyEnergy);
  level_ = std::max(median, kTinyEnergy);
  on_ = static_cast<float>(median + madOnK_ * sigma);
  off_ = static_cast<float>(median + madOffK_ * sigma);
}

}  // namespace tautband::emg
