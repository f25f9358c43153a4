#pragma once

// The EMG half of a streaming driver that the Cyton and BITalino codecs share:
// samples with consecutive device sequence numbers go into one tb_emg_block,
// sent to the host when it is full, at a gap in the sequence, or on flush();
// the first sample after a start command answers that command, and a start
// that sees no sample in time is refused. Pure: the driver feeds samples and
// its clock; no allocation after construction.

#include "tautband/driver.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tautband::drivers {

// What every block of one acquisition carries besides its samples.
struct EmgStreamShape {
  std::uint32_t channels = 0;
  std::uint32_t sampleRateHz = 0;
  std::uint32_t sequenceModulus = 0;  // the device counter wraps here (tb_emg_block)
};

class EmgBlockAccumulator {
 public:
  // `host` receives emg_block and reply; maxChannels bounds every later shape.
  EmgBlockAccumulator(const tb_host& host, std::uint32_t maxBlockSamples, std::uint32_t maxChannels);

  // The shape of the following samples (board identified, new acquisition);
  // a block still open under the old shape is sent first.
  void setShape(const EmgStreamShape& shape);
  const EmgStreamShape& shape() const { return shape_; }

  // A start command was sent: the sequence history is forgotten and
  // `requestId` is answered (ok) by the first sample that follows.
  void awaitFirstSample(std::uint32_t requestId, std::uint64_t nowUs);
  // Refuses the pending start with `detail` once `timeoutUs` has passed since it was sent.
  void expireStart(std::uint64_t nowUs, std::uint64_t timeoutUs, const std::string& detail);
  // The stream stopped: the open block is sent and a pending start is dropped unanswered.
  void stop();

  // One sample: shape().channels values in µV. A sequence that does not follow
  // the previous one (mod sequenceModulus) closes the open block first.
  void append(std::uint32_t sequence, const float* valuesUv);
  // Sends the open block, if any.
  void flush();

  std::optional<std::uint32_t> lastSequence() const { return lastSequence_; }

 private:
  tb_host host_;
  std::uint32_t maxBlockSamples_;
  std::uint32_t maxChannels_;
  EmgStreamShape shape_;

  std::vector<float> block_;
  std::uint32_t blockSamples_ = 0;
  std::uint64_t blockSequence_ = 0;
  std::optional<std::uint32_t> lastSequence_;

  std::optional<std::uint32_t> pendingStart_;
  std::uint64_t pendingStartSinceUs_ = 0;
};

}  // namespace tautband::drivers
