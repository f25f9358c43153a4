#pragma once

#include "devices/sim/LtrBurst.h"
#include "devices/sim/SimEvents.h"
#include "tautband/device.pb.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace tautband::devices::sim {

namespace proto = ::tautband::device::v1;

struct EmgModelConfig {
  std::string serial = "SIM-EMG-0001";
  std::uint32_t maxChannels = 16;
  std::uint32_t defaultRateHz = 4000;  // used when EmgStart leaves the rate 0
  std::uint32_t defaultChannels = 1;   // used when EmgStart leaves the count 0
  double noiseRmsUv = 12.0;            // endplate-noise-like background
  double ltrPeakUv = 600.0;            // LTR burst peak amplitude (largest |sample| of the burst)
  double ltrDurationMs = 60.0;         // LTR discharge length (tens to hundreds of ms, EMG-LTR.md)
  std::uint32_t ltrChannel = 0;  // 0-based channel that carries LTRs
  double microvoltsPerUnit = 0.1;
  std::vector<double> playback;  // µV at playbackRateHz, channel 1; replaces the noise
  std::uint32_t playbackRateHz = 0;
  std::uint64_t seed = 1;
};

// The firmware of a simulated needle EMG amplifier: endplate-noise-like
// background, LTR bursts on demand, or a recorded signal played back, sent
// in EmgFrames of about 1 ms. Pure, like LaserModel.
class EmgModel {
 public:
  EmgModel(EmgModelConfig config, EventSink events);

  static const std::vector<std::uint32_t>& supportedRates();
  static std::uint32_t samplesPerFrame(std::uint32_t rateHz, std::uint32_t channels);

  void handle(const proto::Envelope& message, std::int64_t nowUs, std::vector<proto::Envelope>& out);
  // Emits every frame due by nowUs (device time).
  void produce(std::int64_t nowUs, std::vector<proto::Envelope>& out);
  // Starts an LTR burst at the next sample; reports its device time.
  void injectLtr();

  bool streaming() const { return streaming_; }
  std::uint32_t rateHz() const { return rateHz_; }
  std::uint32_t channels() const { return channels_; }
  proto::DeviceInfo deviceInfo(std::uint32_t requestId) const;

 private:
  double nextBackground(std::uint64_t sampleIndex);

  EmgModelConfig config_;
  EventSink events_;
  bool streaming_ = false;
  std::uint32_t rateHz_ = 4000;
  std::uint32_t channels_ = 1;
  std::uint32_t perFrame_ = 4;
  std::int64_t startUs_ = 0;
  std::uint64_t samplesSent_ = 0;
  std::uint64_t sequence_ = 0;
  bool ltrRequested_ = false;
  LtrBurst ltr_;
  std::mt19937_64 rng_;
  std::normal_distribution<double> gauss_{0.0, 1.0};
};

}  // namespace tautband::devices::sim
