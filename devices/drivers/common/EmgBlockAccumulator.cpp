#include "EmgBlockAccumulator.h"

#include <algorithm>
#include <stdexcept>

namespace tautband::drivers {

EmgBlockAccumulator::EmgBlockAccumulator(const tb_host& host, std::uint32_t maxBlockSamples,
                                         std::uint32_t maxChannels)
    : host_(host), maxBlockSamples_(std::max<std::uint32_t>(1, maxBlockSamples)), maxChannels_(maxChannels) {
  block_.reserve(std::size_t{maxBlockSamples_} * maxChannels_);
}

void EmgBlockAccumulator::setShape(const EmgStreamShape& shape) {
  // A programming error, not bad input: the reserve above must hold.
  if (shape.channels > maxChannels_) throw std::logic_error("EMG stream wider than the accumulator");
  flush();
  shape_ = shape;
}

void EmgBlockAccumulator::awaitFirstSample(std::uint32_t requestId, std::uint64_t nowUs) {
  lastSequence_.reset();
  pendingStart_ = requestId;
  pendingStartSinceUs_ = nowUs;
}

void EmgBlockAccumulator::expireStart(std::uint64_t nowUs, std::uint64_t timeoutUs, const std::string& detail) {
  if (!pendingStart_ || nowUs - pendingStartSinceUs_ <= timeoutUs) return;
  host_.reply(host_.context, *pendingStart_, 0, detail.c_str());
  pendingStart_.reset();
}

void EmgBlockAccumulator::stop() {
  flush();
  pendingStart_.reset();
}

void EmgBlockAccumulator::append(std::uint32_t sequence, const float* valuesUv) {
  const bool follows = lastSequence_ && (shape_.sequenceModulus == 0
                                             ? *lastSequence_ + 1 == sequence
                                             : (*lastSequence_ + 1) % shape_.sequenceModulus == sequence);
  if (blockSamples_ > 0 && !follows) flush();
  if (blockSamples_ == 0) blockSequence_ = sequence;
  block_.insert(block_.end(), valuesUv, valuesUv + shape_.channels);
  ++blockSamples_;
  lastSequence_ = sequence;
  if (pendingStart_) {
    host_.reply(host_.context, *pendingStart_, 1, "");
    pendingStart_.reset();
  }
  if (blockSamples_ == maxBlockSamples_) flush();
}

void EmgBlockAccumulator::flush() {
  if (blockSamples_ == 0) return;
  tb_emg_block block{};
  block.sequence = blockSequence_;
  block.sequence_modulus = shape_.sequenceModulus;
  block.channel_count = shape_.channels;
  block.sample_count = blockSamples_;
  block.sample_rate_hz = shape_.sampleRateHz;
  block.samples_uv = block_.data();
  host_.emg_block(host_.context, &block);
  block_.clear();
  blockSamples_ = 0;
}

}  // namespace tautband::drivers
