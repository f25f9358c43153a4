#include "BitalinoDriver.h"

#include "SettingsJson.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>

namespace tautband::drivers::bitalino {
namespace {

// One block per frame: the block sequence is then the frame counter and
// advances by one per block, which is how the host (DeviceLink) counts gaps.
constexpr std::uint32_t kMaxBlockSamples = 1;
constexpr std::size_t kMaxVersionBytes = 128;
constexpr char kVersionHeader[] = "BITalino";
constexpr std::size_t kVersionHeaderSize = sizeof kVersionHeader - 1;

// x^4 + x + 1, one nibble at a time (PLUX's table).
constexpr std::array<std::uint8_t, 16> kCrc4Table = {0, 3, 6, 5, 12, 15, 10, 9, 11, 8, 13, 14, 7, 4, 1, 2};

std::uint8_t crc4(const std::uint8_t* frame, std::size_t size) {
  std::uint8_t crc = 0;
  for (std::size_t i = 0; i + 1 < size; ++i) {
    crc = kCrc4Table[crc] ^ (frame[i] >> 4);
    crc = kCrc4Table[crc] ^ (frame[i] & 0x0F);
  }
  crc = kCrc4Table[crc] ^ (frame[size - 1] >> 4);  // the sequence nibble
  return kCrc4Table[crc];                          // the CRC nibble itself counts as 0
}

}  // namespace

std::size_t frameSize(std::uint32_t channels) {
  std::size_t n = channels + 2;
  if (channels >= 3 && channels <= 5) ++n;
  return n;
}

bool checkCrc4(const std::uint8_t* frame, std::size_t size) {
  return crc4(frame, size) == (frame[size - 1] & 0x0F);
}

void writeCrc4(std::uint8_t* frame, std::size_t size) {
  frame[size - 1] = static_cast<std::uint8_t>((frame[size - 1] & 0xF0) | crc4(frame, size));
}

std::uint32_t slotBits(std::uint32_t slot) {
  return slot < 4 ? 10 : 6;
}

void unpackFrame(const std::uint8_t* b, std::size_t n, std::uint32_t channels, std::uint16_t* a) {
  a[0] = static_cast<std::uint16_t>(((b[n - 2] & 0x0F) << 6) | (b[n - 3] >> 2));
  if (channels > 1) a[1] = static_cast<std::uint16_t>(((b[n - 3] & 0x03) << 8) | b[n - 4]);
  if (channels > 2) a[2] = static_cast<std::uint16_t>((b[n - 5] << 2) | (b[n - 6] >> 6));
  if (channels > 3) a[3] = static_cast<std::uint16_t>(((b[n - 6] & 0x3F) << 4) | (b[n - 7] >> 4));
  if (channels > 4) a[4] = static_cast<std::uint16_t>(((b[n - 7] & 0x0F) << 2) | (b[n - 8] >> 6));
  if (channels > 5) a[5] = static_cast<std::uint16_t>(b[n - 8] & 0x3F);
}

double emgMicrovolts(std::uint32_t adc, std::uint32_t bits, double gain, double vcc) {
  const double volts = (static_cast<double>(adc) / static_cast<double>(1u << bits) - 0.5) * vcc / gain;
  return volts * 1e6;
}

std::array<std::uint8_t, 2> startCommand(std::uint32_t rateHz, std::uint8_t channelMask) {
  const auto code = std::find(kRatesHz.begin(), kRatesHz.end(), rateHz) - kRatesHz.begin();
  return {static_cast<std::uint8_t>((code << 6) | 0x03),
          static_cast<std::uint8_t>(((channelMask & 0x3F) << 2) | 0x01)};
}

BitalinoSettings BitalinoSettings::fromJson(const std::string& json) {
  BitalinoSettings s;
  const auto o = settingsObject(json);
  if (o.contains(QLatin1String("channels"))) {
    const auto list = o.value(QLatin1String("channels")).toArray();
    std::uint8_t mask = 0;
    for (const auto& v : list) {
      const auto name = v.toString();
      const int index = name.size() == 2 && name[0] == QLatin1Char('A') ? name[1].digitValue() : -1;
      if (index < 1 || index > 6) throw std::invalid_argument("channels must be a list of A1..A6");
      mask |= static_cast<std::uint8_t>(1u << (index - 1));
    }
    if (mask == 0) throw std::invalid_argument("channels must name at least one of A1..A6");
    s.channelMask = mask;
  }
  if (o.contains(QLatin1String("rate_hz"))) {
    const int rate = o.value(QLatin1String("rate_hz")).toInt(-1);
    if (std::find(kRatesHz.begin(), kRatesHz.end(), static_cast<std::uint32_t>(rate)) == kRatesHz.end()) {
      throw std::invalid_argument("rate_hz must be 1, 10, 100 or 1000");
    }
    s.rateHz = static_cast<std::uint32_t>(rate);
  }
  if (o.contains(QLatin1String("emg_gain"))) {
    const double gain = o.value(QLatin1String("emg_gain")).toDouble(-1);
    if (!(gain >= 500 && gain <= 2000)) throw std::invalid_argument("emg_gain must be 500..2000");
    s.emgGain = gain;
  }
  return s;
}

BitalinoDriver::BitalinoDriver(const tb_host& host, const std::string& settingsJson)
    : sdk::Driver(host),
      settings_(BitalinoSettings::fromJson(settingsJson)),
      emg_(host, kMaxBlockSamples, kMaxChannels) {
  version_.reserve(kMaxVersionBytes);
  channels_ = static_cast<std::uint32_t>(std::popcount(settings_.channelMask));
  rateHz_ = settings_.rateHz;
  emg_.setShape({channels_, rateHz_, kSequenceModulus});
}

tb_status BitalinoDriver::start(std::vector<std::uint8_t>& out) {
  phase_ = Phase::AwaitingVersion;
  version_.clear();
  out = {0x00, 0x07};  // idle (in case a stream was left running), then the version string
  return TB_OK;
}

tb_status BitalinoDriver::receive(const std::uint8_t* bytes, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    if (phase_ == Phase::Streaming)
      onStreamByte(bytes[i]);
    else if (phase_ == Phase::AwaitingVersion)
      onVersionByte(bytes[i]);
  }
  emg_.flush();
  return TB_OK;
}

void BitalinoDriver::onVersionByte(std::uint8_t byte) {
  // As PLUX's API does: discard everything before "BITalino", then read to '\n'.
  const char c = static_cast<char>(byte);
  if (version_.size() < kVersionHeaderSize) {
    if (c == kVersionHeader[version_.size()]) {
      version_.push_back(c);
    } else {
      version_.clear();
      if (c == kVersionHeader[0]) version_.push_back(c);
    }
    return;
  }
  if (c == '\r') return;
  if (c != '\n') {
    if (version_.size() >= kMaxVersionBytes)
      version_.clear();  // not a version line after all
    else
      version_.push_back(c);
    return;
  }
  phase_ = Phase::Idle;
  const auto at = version_.find("_v");
  const bool revolution = at != std::string::npos && std::atoi(version_.c_str() + at + 2) >= 5;
  tb_device_info info{};
  info.vendor = "PLUX";
  info.model = revolution ? "BITalino (r)evolution" : "BITalino";
  info.serial = "";
  info.firmware = version_.c_str();
  info.channels = channels_;
  info.sample_rate_hz = rateHz_;
  info.resolution_bits = 10;
  info.applied_part = TB_APPLIED_PART_NONE;  // surface EMG kit, not isolated for needle use
  deviceInfo(info);
}

void BitalinoDriver::onStreamByte(std::uint8_t byte) {
  window_[windowSize_++] = byte;
  if (synced_) {
    if (windowSize_ < frameSize_) return;
    // Locked on: the next frame must pass its CRC and follow in sequence. A
    // gap (lost frames) or a CRC failure unlocks; the window is kept and
    // re-checked with the two-frame rule below, so a real gap costs nothing
    // and garbage that passes a CRC-4 by chance is not taken as a sample.
    const std::uint32_t sequence = window_[frameSize_ - 1] >> 4;
    const auto last = emg_.lastSequence();
    if (checkCrc4(window_.data(), frameSize_) && last && (*last + 1) % kSequenceModulus == sequence) {
      onFrame(window_.data());
      windowSize_ = 0;
      return;
    }
    synced_ = false;
  }
  if (windowSize_ < 2 * frameSize_) return;
  // Unsynced: a CRC-4 passes by chance once in 16, so lock on only to two
  // consecutive valid frames whose sequence numbers follow each other.
  const std::uint8_t* second = window_.data() + frameSize_;
  if (checkCrc4(window_.data(), frameSize_) && checkCrc4(second, frameSize_) &&
      ((window_[frameSize_ - 1] >> 4) + 1) % kSequenceModulus ==
          static_cast<std::uint32_t>(second[frameSize_ - 1] >> 4)) {
    onFrame(window_.data());
    onFrame(second);
    windowSize_ = 0;
    synced_ = true;
    return;
  }
  std::memmove(window_.data(), window_.data() + 1, --windowSize_);
}

void BitalinoDriver::onFrame(const std::uint8_t* frame) {
  std::array<std::uint16_t, kMaxChannels> adc{};
  unpackFrame(frame, frameSize_, channels_, adc.data());
  std::array<float, kMaxChannels> uv{};
  for (std::uint32_t slot = 0; slot < channels_; ++slot) {
    uv[slot] = static_cast<float>(emgMicrovolts(adc[slot], slotBits(slot), settings_.emgGain));
  }
  emg_.append(frame[frameSize_ - 1] >> 4, uv.data());
}

tb_status BitalinoDriver::tick(std::uint64_t nowUs) {
  nowUs_ = nowUs;
  // Two frames are needed to lock on: allow three frame periods, at least 1 s.
  const std::uint64_t timeoutUs = std::max<std::uint64_t>(1'000'000, 3'000'000 / rateHz_);
  emg_.expireStart(nowUs, timeoutUs, "no valid frames after the start command");
  return TB_OK;
}

tb_status BitalinoDriver::encode(const tb_command& command, std::vector<std::uint8_t>& out) {
  switch (command.kind) {
    case TB_CMD_EMG_START: {
      const std::uint32_t rate = command.arg0 ? command.arg0 : settings_.rateHz;
      if (std::find(kRatesHz.begin(), kRatesHz.end(), rate) == kRatesHz.end()) {
        reply(command.request_id, false, "BITalino rates are 1, 10, 100 and 1000 Hz");
        return TB_OK;
      }
      if (command.arg1 > kMaxChannels) {
        reply(command.request_id, false, "BITalino has 6 analog channels");
        return TB_OK;
      }
      const std::uint8_t mask =
          command.arg1 ? static_cast<std::uint8_t>((1u << command.arg1) - 1) : settings_.channelMask;
      const auto bytes = startCommand(rate, mask);
      out.assign(bytes.begin(), bytes.end());
      phase_ = Phase::Streaming;
      rateHz_ = rate;
      channels_ = static_cast<std::uint32_t>(std::popcount(mask));
      frameSize_ = frameSize(channels_);
      windowSize_ = 0;
      synced_ = false;
      emg_.setShape({channels_, rateHz_, kSequenceModulus});
      emg_.awaitFirstSample(command.request_id, nowUs_);
      return TB_OK;
    }
    case TB_CMD_EMG_STOP:
      out = {0x00};
      emg_.stop();
      phase_ = Phase::Idle;
      reply(command.request_id, true);
      return TB_OK;
    default:
      return TB_UNSUPPORTED;  // not a laser
  }
}

}  // namespace tautband::drivers::bitalino
