#include "CytonDriver.h"

#include "SettingsJson.h"

#include <QJsonObject>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace tautband::drivers::cyton {
namespace {

constexpr std::size_t kMaxTextBytes = 2048;  // a reset reply is ~200 bytes
// One block per packet: the block sequence is then the packet counter and
// advances by one per block, which is how the host (DeviceLink) counts gaps.
constexpr std::uint32_t kMaxBlockSamples = 1;
constexpr std::uint64_t kStartTimeoutUs = 1'000'000;
constexpr std::uint32_t kFaultNoResetReply = 1101;  // vendor fault: board silent after 'v'
constexpr std::uint64_t kResetTimeoutUs = 3'000'000;

bool validFooter(std::uint8_t byte) {
  return byte >= kFooterFirst && byte <= kFooterLast;
}

bool endsWith(const std::string& text, const char* suffix) {
  const std::size_t n = std::strlen(suffix);
  return text.size() >= n && text.compare(text.size() - n, n, suffix) == 0;
}

}  // namespace

double microvoltsPerCount(std::uint32_t gain) {
  return 4.5 / static_cast<double>(gain) / 8388607.0 * 1e6;
}

std::int32_t decode24(const std::uint8_t* b) {
  const std::uint32_t raw = (std::uint32_t{b[0]} << 16) | (std::uint32_t{b[1]} << 8) | b[2];
  return (raw & 0x800000u) ? static_cast<std::int32_t>(raw | 0xFF000000u) : static_cast<std::int32_t>(raw);
}

std::string channelSettingsCommand(std::uint32_t channel, std::uint32_t gain, bool bias, bool srb2) {
  static constexpr char kDaisyChannels[] = "QWERTYUI";  // channels 9..16
  const auto code = std::find(kGains.begin(), kGains.end(), gain) - kGains.begin();
  std::string command = "x";
  command += channel <= 8 ? static_cast<char>('0' + channel) : kDaisyChannels[channel - 9];
  command += '0';  // power on
  command += static_cast<char>('0' + code);
  command += '0';  // normal electrode input
  command += bias ? '1' : '0';
  command += srb2 ? '1' : '0';
  command += '0';  // SRB1 disconnected
  command += 'X';
  return command;
}

CytonSettings CytonSettings::fromJson(const std::string& json) {
  CytonSettings s;
  const auto o = settingsObject(json);
  if (o.contains(QLatin1String("daisy"))) {
    const auto v = o.value(QLatin1String("daisy")).toString();
    if (v == QLatin1String("auto"))
      s.daisy = Daisy::Auto;
    else if (v == QLatin1String("off"))
      s.daisy = Daisy::Off;
    else
      throw std::invalid_argument("daisy must be \"auto\" or \"off\"");
  }
  if (o.contains(QLatin1String("gain"))) {
    const int gain = o.value(QLatin1String("gain")).toInt(-1);
    if (std::find(kGains.begin(), kGains.end(), static_cast<std::uint32_t>(gain)) == kGains.end()) {
      throw std::invalid_argument("gain must be one of 1, 2, 4, 6, 8, 12, 24");
    }
    s.gain = static_cast<std::uint32_t>(gain);
  }
  for (auto [key, field] : {std::pair{"bias", &s.bias}, std::pair{"srb2", &s.srb2}}) {
    if (!o.contains(QLatin1String(key))) continue;
    const auto v = o.value(QLatin1String(key));
    if (!v.isBool()) throw std::invalid_argument(std::string(key) + " must be true or false");
    *field = v.toBool();
  }
  return s;
}

CytonDriver::CytonDriver(const tb_host& host, const std::string& settingsJson)
    : sdk::Driver(host),
      settings_(CytonSettings::fromJson(settingsJson)),
      emg_(host, kMaxBlockSamples, 2 * kBoardChannels) {
  emg_.setShape(streamShape());
  text_.reserve(kMaxTextBytes);
  scale_.fill(static_cast<float>(microvoltsPerCount(settings_.gain)));
}

tb_status CytonDriver::start(std::vector<std::uint8_t>& out) {
  phase_ = Phase::AwaitingReset;
  resetSentUs_.reset();
  text_.clear();
  out = {'v'};  // soft reset: the board answers with its identity, ending in "$$$"
  return TB_OK;
}

tb_status CytonDriver::receive(const std::uint8_t* bytes, std::size_t size) {
  std::size_t i = 0;
  while (i < size) {
    if (pendingSize_ == 0) {
      // Fast path: a whole packet in the input, no copy.
      if (bytes[i] == kHeader && size - i >= kPacketSize && validFooter(bytes[i + kPacketSize - 1])) {
        onPacket(bytes + i);
        i += kPacketSize;
        continue;
      }
      if (bytes[i] != kHeader) {
        onText(bytes[i++]);
        continue;
      }
    }
    pending_[pendingSize_++] = bytes[i++];
    if (pendingSize_ < kPacketSize) continue;
    if (validFooter(pending_[kPacketSize - 1])) {
      onPacket(pending_.data());
      pendingSize_ = 0;
      continue;
    }
    // Not a packet: drop the header and restart at the next 0xA0 inside the window.
    const auto next = std::find(pending_.begin() + 1, pending_.begin() + kPacketSize, kHeader);
    std::for_each(pending_.begin() + 1, next, [this](std::uint8_t b) { onText(b); });
    pendingSize_ = static_cast<std::size_t>(pending_.begin() + kPacketSize - next);
    std::memmove(pending_.data(), &*next, pendingSize_);
  }
  emg_.flush();
  return TB_OK;
}

void CytonDriver::onText(std::uint8_t byte) {
  if (phase_ == Phase::Streaming) return;  // garbage between packets
  if (text_.size() >= kMaxTextBytes) text_.erase(0, kMaxTextBytes / 2);
  text_.push_back(static_cast<char>(byte));
  if (!endsWith(text_, "$$$")) return;
  if (phase_ == Phase::AwaitingReset) {
    // Only the reset reply identifies the board; other "$$$" answers are not it.
    if (text_.find("OpenBCI") != std::string::npos || text_.find("ADS1299") != std::string::npos)
      onResetReply();
  } else if (phase_ == Phase::Configuring && configReplies_ > 0 && --configReplies_ == 0) {
    phase_ = Phase::Idle;
  }
  text_.clear();
}

void CytonDriver::onResetReply() {
  const bool daisyPresent = text_.find("Daisy") != std::string::npos;
  daisy_ = daisyPresent && settings_.daisy == CytonSettings::Daisy::Auto;
  std::string firmware = "unknown";
  if (const auto at = text_.find("Firmware: "); at != std::string::npos) {
    const auto end = text_.find_first_of("\r\n$", at);
    firmware = text_.substr(at + 10, end == std::string::npos ? std::string::npos : end - at - 10);
  }
  // After 'v' every channel is at the board's default; set ours and track the
  // gain we sent, since the µV scale depends on it.
  std::string commands;
  if (daisyPresent && !daisy_) commands += 'c';  // use the Cyton's 8 channels only
  for (std::uint32_t ch = 1; ch <= channels(); ++ch) {
    commands += channelSettingsCommand(ch, settings_.gain, settings_.bias, settings_.srb2);
    scale_[ch - 1] = static_cast<float>(microvoltsPerCount(settings_.gain));
  }
  configReplies_ = channels();
  emg_.setShape(streamShape());
  phase_ = Phase::Configuring;
  if (resetFaultActive_) {
    resetFaultActive_ = false;
    fault(kFaultNoResetReply, false, "the board answered the soft reset");
  }
  send(commands);

  tb_device_info info{};
  info.vendor = "OpenBCI";
  info.model = daisy_ ? "Cyton + Daisy" : "Cyton";
  info.serial = "";
  info.firmware = firmware.c_str();
  info.channels = channels();
  info.sample_rate_hz = sampleRate();
  info.resolution_bits = 24;
  info.applied_part = TB_APPLIED_PART_NONE;  // a research board, not a medical applied part
  deviceInfo(info);
}

void CytonDriver::onPacket(const std::uint8_t* packet) {
  if (phase_ != Phase::Streaming) return;  // a stream we did not ask for (e.g. before the reset)
  const std::uint8_t counter = packet[1];
  std::array<float, 2 * kBoardChannels> values;
  const bool daisyHalf = daisy_ && (counter % 2 == 0);
  const std::size_t offset = daisyHalf ? kBoardChannels : 0;
  for (std::size_t ch = 0; ch < kBoardChannels; ++ch) {
    values[ch] = static_cast<float>(decode24(packet + 2 + 3 * ch)) * scale_[offset + ch];
  }
  if (!daisy_) {
    emg_.append(counter, values.data());
    return;
  }
  // Daisy: the even packet carries channels 9-16 and is followed by the odd
  // packet with channels 1-8; together they are one 16-channel sample.
  if (daisyHalf) {
    std::copy_n(values.begin(), kBoardChannels, daisyValues_.begin());
    daisyCounter_ = counter;
    return;
  }
  if (daisyCounter_ && static_cast<std::uint8_t>(*daisyCounter_ + 1) == counter) {
    std::copy(daisyValues_.begin(), daisyValues_.end(), values.begin() + kBoardChannels);
    emg_.append(counter / 2u, values.data());
  }
  daisyCounter_.reset();  // an odd packet without its Daisy half is lost
}

tb_status CytonDriver::tick(std::uint64_t nowUs) {
  nowUs_ = nowUs;
  emg_.expireStart(nowUs, kStartTimeoutUs, "no packets within 1 s of 'b'");
  if (phase_ == Phase::AwaitingReset) {
    if (!resetSentUs_) {
      resetSentUs_ = nowUs;
    } else if (nowUs - *resetSentUs_ > kResetTimeoutUs) {
      resetFaultActive_ = true;
      fault(kFaultNoResetReply, true, "no answer to the soft reset 'v' within 3 s; sending it again");
      resetSentUs_ = nowUs;
      send(std::string("v"));
    }
  }
  return TB_OK;
}

tb_status CytonDriver::encode(const tb_command& command, std::vector<std::uint8_t>& out) {
  switch (command.kind) {
    case TB_CMD_EMG_START:
      if (phase_ == Phase::AwaitingReset) {
        reply(command.request_id, false, "the board has not answered the soft reset yet");
      } else if (command.arg0 != 0 && command.arg0 != sampleRate()) {
        reply(command.request_id, false, "the Cyton streams at " + std::to_string(sampleRate()) + " Hz only");
      } else if (command.arg1 != 0 && command.arg1 != channels()) {
        reply(command.request_id, false, "this board has " + std::to_string(channels()) + " channels");
      } else {
        out = {'b'};
        phase_ = Phase::Streaming;
        daisyCounter_.reset();
        emg_.awaitFirstSample(command.request_id, nowUs_);
      }
      return TB_OK;
    case TB_CMD_EMG_STOP:
      out = {'s'};
      emg_.stop();
      if (phase_ == Phase::Streaming) phase_ = Phase::Idle;
      reply(command.request_id, true);
      return TB_OK;
    default:
      return TB_UNSUPPORTED;  // not a laser
  }
}

}  // namespace tautband::drivers::cyton
