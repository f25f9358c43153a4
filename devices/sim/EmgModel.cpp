#include "devices/sim/EmgModel.h"

#include "tautband/protocols/Envelope.h"
#include "tautband/protocols/Framing.h"

#include <algorithm>
#include <cmath>

namespace tautband::devices::sim {

EmgModel::EmgModel(EmgModelConfig config, EventSink events)
    : config_(std::move(config)),
      events_(std::move(events)),
      ltr_(config_.ltrPeakUv, config_.ltrDurationMs, config_.seed),
      rng_(config_.seed) {}

const std::vector<std::uint32_t>& EmgModel::supportedRates() {
  static const std::vector<std::uint32_t> rates{250, 500, 1000, 2000, 4000, 8000, 16000, 24000, 48000};
  return rates;
}

std::uint32_t EmgModel::samplesPerFrame(std::uint32_t rateHz, std::uint32_t channels) {
  // About 1 ms per frame, and never more than fits a 4096-byte envelope with
  // 5-byte worst-case varints.
  const auto perMs = std::max<std::uint32_t>(1, rateHz / 1000);
  const auto fits =
      static_cast<std::uint32_t>((protocols::kMaxPayloadBytes - 64) / (5 * std::max(1u, channels)));
  return std::max<std::uint32_t>(1, std::min(perMs, fits));
}

proto::DeviceInfo EmgModel::deviceInfo(std::uint32_t requestId) const {
  proto::DeviceInfo info;
  info.set_request_id(requestId);
  info.set_vendor("Tautband");
  info.set_model("Simulated needle EMG amplifier");
  info.set_serial(config_.serial);
  info.set_firmware("sim-1.0");
  *info.mutable_protocol() = protocols::currentProtocolVersion();
  auto* emg = info.mutable_emg();
  emg->set_channels(config_.maxChannels);
  for (auto rate : supportedRates()) emg->add_sample_rates_hz(rate);
  emg->set_microvolts_per_unit(config_.microvoltsPerUnit);
  emg->set_resolution_bits(24);
  emg->set_applied_part(proto::APPLIED_PART_BF);
  emg->set_isolation_voltage_v(4000);
  emg->set_max_samples_per_frame(samplesPerFrame(48000, 16));
  return info;
}

void EmgModel::handle(const proto::Envelope& message, std::int64_t nowUs, std::vector<proto::Envelope>& out) {
  auto nack = [&](std::uint32_t id, proto::NackReason reason, const char* detail) {
    auto& m = out.emplace_back();
    m.mutable_nack()->set_request_id(id);
    m.mutable_nack()->set_reason(reason);
    m.mutable_nack()->set_detail(detail);
  };
  switch (message.body_case()) {
    case proto::Envelope::kHello:
      if (message.hello().protocol().major() != protocols::kProtocolVersion.major) {
        return nack(message.hello().request_id(), proto::NACK_REASON_VERSION_MISMATCH,
                    "protocol major differs");
      }
      *out.emplace_back().mutable_device_info() = deviceInfo(message.hello().request_id());
      return;
    case proto::Envelope::kEmgCommand: {
      const auto& command = message.emg_command();
      if (command.has_stop()) {
        streaming_ = false;
      } else if (command.has_start()) {
        const auto& start = command.start();
        const auto rate = start.sample_rate_hz() ? start.sample_rate_hz() : config_.defaultRateHz;
        const auto channels = start.channel_count() ? start.channel_count() : config_.defaultChannels;
        const auto& rates = supportedRates();
        if (std::find(rates.begin(), rates.end(), rate) == rates.end()) {
          return nack(command.request_id(), proto::NACK_REASON_OUT_OF_RANGE, "unsupported sample rate");
        }
        if (channels < 1 || channels > config_.maxChannels) {
          return nack(command.request_id(), proto::NACK_REASON_OUT_OF_RANGE, "unsupported channel count");
        }
        rateHz_ = rate;
        channels_ = channels;
        perFrame_ = start.samples_per_frame()
                        ? std::min(start.samples_per_frame(), samplesPerFrame(rateHz_, channels_))
                        : samplesPerFrame(rateHz_, channels_);
        startUs_ = nowUs;
        samplesSent_ = 0;
        streaming_ = true;
      } else {
        return nack(command.request_id(), proto::NACK_REASON_UNSUPPORTED, "empty EMG command");
      }
      auto& m = out.emplace_back();
      m.mutable_ack()->set_request_id(command.request_id());
      return;
    }
    case proto::Envelope::kLaserCommand:
      return nack(message.laser_command().request_id(), proto::NACK_REASON_UNSUPPORTED,
                  "this device has no laser");
    default:
      return;
  }
}

void EmgModel::injectLtr() {
  ltrRequested_ = true;
}

double EmgModel::nextBackground(std::uint64_t sampleIndex) {
  if (!config_.playback.empty() && config_.playbackRateHz > 0) {
    // Nearest-sample resampling of the recording, looped.
    const auto index =
        static_cast<std::size_t>(static_cast<double>(sampleIndex) * config_.playbackRateHz / rateHz_) %
        config_.playback.size();
    return config_.playback[index];
  }
  return gauss_(rng_) * config_.noiseRmsUv;
}

void EmgModel::produce(std::int64_t nowUs, std::vector<proto::Envelope>& out) {
  if (!streaming_) return;
  const auto due = static_cast<std::uint64_t>(static_cast<double>(nowUs - startUs_) * rateHz_ / 1e6);
  const double unitsPerUv = 1.0 / config_.microvoltsPerUnit;
  while (samplesSent_ + perFrame_ <= due) {
    auto& m = out.emplace_back();
    auto* frame = m.mutable_emg_frame();
    frame->set_sequence(++sequence_);
    frame->set_device_time_us(
        static_cast<std::uint64_t>(startUs_ + static_cast<std::int64_t>(samplesSent_ * 1e6 / rateHz_)));
    frame->set_channel_count(channels_);
    frame->set_sample_rate_hz(rateHz_);
    auto* samples = frame->mutable_samples();
    samples->Reserve(static_cast<int>(perFrame_ * channels_));
    for (std::uint32_t i = 0; i < perFrame_; ++i) {
      const auto index = samplesSent_ + i;
      if (ltrRequested_) {
        ltrRequested_ = false;
        ltr_.start(index, rateHz_);
        if (events_) {
          events_(QStringLiteral("ltr"),
                  {{"sample", static_cast<double>(index)},
                   {"device_time_us", static_cast<double>(startUs_) + index * 1e6 / rateHz_},
                   {"channel", static_cast<int>(config_.ltrChannel + 1)},
                   {"peak_uv", config_.ltrPeakUv}});
        }
      }
      const double ltr = ltr_.at(index);
      for (std::uint32_t c = 0; c < channels_; ++c) {
        const double uv = nextBackground(index) + (c == config_.ltrChannel ? ltr : 0.0);
        samples->AddAlreadyReserved(static_cast<std::int32_t>(std::lround(uv * unitsPerUv)));
      }
    }
    samplesSent_ += perFrame_;
  }
}

}  // namespace tautband::devices::sim
