#pragma once

#include "emg/Settings.h"

#include <cstddef>
#include <vector>

namespace tautband::emg {

// Hysteresis thresholds derived from the recent history of one channel's
// smoothed energy. Each value pushed is the mean smoothed energy of one block;
// the caller decides which blocks count as background (quiet) ones.
//
// kQuietPercentile: level = P-th percentile of the quiet blocks; on/off =
//   onFactor/offFactor x level. A heavy tail (big MUAPs, spike trains) raises
//   the level only as far as it is common, and blocks inside bursts never
//   enter, so a twitch cannot raise its own threshold.
// kMedianMad: on/off = median + k x 1.4826 MAD of all blocks (the textbook
//   robust rule, kept to measure against: docs/EMG.md).
class AdaptiveBaseline {
 public:
  AdaptiveBaseline(const DetectorSettings& settings, std::size_t capacityBlocks, std::size_t warmUpBlocks);

  void push(float blockEnergy);
  void reset();

  bool ready() const { return count_ >= warmUpBlocks_; }
  float onThreshold() const { return on_; }
  // Before ready(): the on threshold the blocks so far would give (infinite
  // below 5 blocks). Only for keeping warm-up blocks that hold a burst out of
  // the background history, never for detection.
  float provisionalOnThreshold() const { return provisionalOn_; }
  float offThreshold() const { return off_; }
  float level() const { return level_; }

 private:
  void recompute();

  BaselineMethod method_;
  double percentile_, onFactor_, offFactor_, madOnK_, madOffK_;
  void insertSorted(float value);
  void eraseSorted(float value);

  std::vector<float> ring_;
  // The ring's values kept in ascending order (count_ of them), updated by one
  // removal and one insertion per push: the percentile is then one look-up
  // instead of an nth_element over the whole window per block and channel
  // (which was a quarter of the pipeline's time at 48 kHz x 16 ch). Same value
  // as nth_element: the k-th smallest.
  std::vector<float> sorted_;
  std::vector<float> scratch_;
  std::size_t next_ = 0;
  std::size_t count_ = 0;
  std::size_t warmUpBlocks_;
  float level_ = 0;
  float on_;
  float off_;
  float provisionalOn_;
};

}  // namespace tautband::emg
