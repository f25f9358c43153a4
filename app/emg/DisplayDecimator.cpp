#include "emg/DisplayDecimator.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace tautband::emg {

DisplayDecimator::DisplayDecimator(std::size_t channels, std::size_t framesPerColumn, std::size_t capacityColumns)
    : channels_(channels), framesPerColumn_(framesPerColumn), capacity_(capacityColumns + 1),
      curMin_(channels, std::numeric_limits<float>::infinity()),
      curMax_(channels, -std::numeric_limits<float>::infinity()), ringMin_(capacity_ * channels),
      ringMax_(capacity_ * channels), ringFirst_(capacity_) {
  if (channels == 0 || framesPerColumn == 0 || capacityColumns == 0) {
    throw std::invalid_argument("display decimator needs channels, frames per column and capacity > 0");
  }
}

void DisplayDecimator::push(const float* in, std::size_t frames) {
  const std::size_t C = channels_;
  float* __restrict mn = curMin_.data();
  float* __restrict mx = curMax_.data();
  for (std::size_t f = 0; f < frames; ++f) {
    const float* row = in + f * C;
    for (std::size_t c = 0; c < C; ++c) {
      mn[c] = std::min(mn[c], row[c]);
      mx[c] = std::max(mx[c], row[c]);
    }
    ++frame_;
    if (++inColumn_ == framesPerColumn_) finishColumn();
  }
}

void DisplayDecimator::finishColumn() {
  const std::size_t head = head_.load(std::memory_order_relaxed);
  const std::size_t next = (head + 1) % capacity_;
  if (next == tail_.load(std::memory_order_acquire)) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
  } else {
    std::copy(curMin_.begin(), curMin_.end(), ringMin_.begin() + static_cast<std::ptrdiff_t>(head * channels_));
    std::copy(curMax_.begin(), curMax_.end(), ringMax_.begin() + static_cast<std::ptrdiff_t>(head * channels_));
    ringFirst_[head] = columnStart_;
    head_.store(next, std::memory_order_release);
  }
  std::fill(curMin_.begin(), curMin_.end(), std::numeric_limits<float>::infinity());
  std::fill(curMax_.begin(), curMax_.end(), -std::numeric_limits<float>::infinity());
  inColumn_ = 0;
  columnStart_ = frame_;
}

std::size_t DisplayDecimator::available() const {
  const std::size_t head = head_.load(std::memory_order_acquire);
  const std::size_t tail = tail_.load(std::memory_order_relaxed);
  return (head + capacity_ - tail) % capacity_;
}

std::size_t DisplayDecimator::pop(float* minOut, float* maxOut, std::uint64_t* firstFrameOut, std::size_t maxColumns) {
  std::size_t tail = tail_.load(std::memory_order_relaxed);
  const std::size_t head = head_.load(std::memory_order_acquire);
  std::size_t n = 0;
  while (tail != head && n < maxColumns) {
    const auto off = static_cast<std::ptrdiff_t>(tail * channels_);
    std::copy_n(ringMin_.begin() + off, channels_, minOut + n * channels_);
    std::copy_n(ringMax_.begin() + off, channels_, maxOut + n * channels_);
    if (firstFrameOut != nullptr) firstFrameOut[n] = ringFirst_[tail];
    tail = (tail + 1) % capacity_;
    ++n;
  }
  tail_.store(tail, std::memory_order_release);
  return n;
}

}  // namespace tautband::emg
