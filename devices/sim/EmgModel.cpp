#include "devices/sim/EmgModel.h"

#include "tautband/protocols/Envelope.h"
#include "tautband/protocols/Framing.h"

#include <algorithm>
#include <cmath>

namespace tautband::devices::sim {

EmgModel::EmgModel(EmgModelConfig config, EventSink events)
    : config_(std::move(config)), events_(std::move(events)), rng_(config_.seed), ltrRng_(config_.seed * 0x9E3779B97F4A7C15ull + 0x4C5452ull) {}

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

double EmgModel::ltrSample(std::uint64_t sampleIndex) const {
  if (!ltrStartSample_ || sampleIndex < *ltrStartSample_) return 0.0;
  const auto i = sampleIndex - *ltrStartSample_;
  return i < ltrWave_.size() ? ltrWave_[i] : 0.0;
}

// An LTR as EMG-LTR.md describes it: a polyphasic discharge of many motor-unit
// potentials (bi- and triphasic, 0.4-1.5 ms wide, random polarity, ~600 per
// second, overlapping) that starts abruptly (the reflex recruits its units at
// once), holds, and decays over the last third; scaled so its largest sample
// is ltrPeakUv. (It used to be three steady tones under a Hann window, which
// starts from zero: at the detector's decision point, onset + minimum burst,
// it had shown only a fraction of its amplitude and looked like an
// endplate-spike train. docs/EMG.md.) Potential widths are floored at 0.75
// sample, as a device's anti-alias filter would, so 250 Hz sees smooth shapes.
void EmgModel::makeLtrWave() {
  const double rate = rateHz_;
  const double duration = config_.ltrDurationMs / 1000.0;
  ltrWave_.assign(static_cast<std::size_t>(std::ceil((duration + 0.01) * rate)), 0.0);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  auto uniform = [&](double lo, double hi) { return lo + (hi - lo) * unit(ltrRng_); };
  auto addPotential = [&](double centreS, double sigmaS, double amplitude, int shape) {
    const double sigma = std::max(sigmaS, 0.75 / rate);
    const auto first = static_cast<long long>(std::ceil((centreS - 5 * sigma) * rate));
    const auto last = static_cast<long long>(std::floor((centreS + 5 * sigma) * rate));
    for (long long n = std::max(0LL, first); n <= last && n < static_cast<long long>(ltrWave_.size()); ++n) {
      const double u = (static_cast<double>(n) / rate - centreS) / sigma;
      const double g = std::exp(-0.5 * u * u);
      const double v = shape == 0 ? u * std::exp(0.5) * g : shape == 1 ? -u * std::exp(0.5) * g : (1 - u * u) * g;
      ltrWave_[static_cast<std::size_t>(n)] += amplitude * v;
    }
  };
  auto envelope = [&](double t) {
    const double rise = 0.15 * duration, fall = 0.3 * duration;
    if (t < rise) return 0.7 + 0.3 * t / rise;
    if (t > duration - fall) return std::max(0.2, (duration - t) / fall);
    return 1.0;
  };
  const double perS = 600.0;
  const double firstSigma = std::max(uniform(0.4e-3, 1.2e-3), 0.75 / rate);
  // The first potential becomes visible 2 sigma before its centre: that is the onset.
  for (double t = 2 * firstSigma; t < duration; t += -std::log(1.0 - unit(ltrRng_)) / perS) {
    const double a = (t == 2 * firstSigma ? 1.0 : envelope(t) * uniform(0.35, 1.0)) * (unit(ltrRng_) < 0.5 ? 1 : -1);
    addPotential(t, t == 2 * firstSigma ? firstSigma : uniform(0.4e-3, 1.5e-3), a, static_cast<int>(uniform(0, 3)) % 3);
  }
  double peak = 0;
  for (double v : ltrWave_) peak = std::max(peak, std::fabs(v));
  if (peak > 0) {
    for (double& v : ltrWave_) v *= config_.ltrPeakUv / peak;
  }
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
        ltrStartSample_ = index;
        makeLtrWave();
        if (events_) {
          events_(QStringLiteral("ltr"),
                  {{"sample", static_cast<double>(index)},
                   {"device_time_us", static_cast<double>(startUs_) + index * 1e6 / rateHz_},
                   {"channel", static_cast<int>(config_.ltrChannel + 1)},
                   {"peak_uv", config_.ltrPeakUv}});
        }
      }
      const double ltr = ltrSample(index);
      for (std::uint32_t c = 0; c < channels_; ++c) {
        const double uv = nextBackground(index) + (c == config_.ltrChannel ? ltr : 0.0);
        samples->AddAlreadyReserved(static_cast<std::int32_t>(std::lround(uv * unitsPerUv)));
      }
    }
    samplesSent_ += perFrame_;
  }
}

}  // namespace tautband::devices::sim
