#include "devices/sim/CytonFirmware.h"

#include <algorithm>
#include <cmath>

namespace tautband::devices::sim {
namespace {

constexpr std::uint32_t kPacketRateHz = 250;
constexpr std::array<std::uint32_t, 7> kGains = {1, 2, 4, 6, 8, 12, 24};
constexpr char kDaisyChannelChars[] = "QWERTYUI";

std::int32_t toCounts(double uv, std::uint32_t gain) {
  const double counts = uv / (4.5 / gain / 8388607.0 * 1e6);
  return static_cast<std::int32_t>(std::clamp(std::lround(counts), -8388608L, 8388607L));
}

}  // namespace

CytonFirmware::CytonFirmware(CytonFirmwareConfig config, EventSink events)
    : EmgBoardFirmware(config.signal, std::move(events)), config_(std::move(config)), daisyActive_(config_.daisy) {
  gains_.fill(24);
}

void CytonFirmware::onBytes(std::span<const std::uint8_t> bytes, const SimTime& time, FirmwareOutput& out) {
  for (const auto b : bytes) onCommandByte(static_cast<char>(b), time, out);
}

void CytonFirmware::onCommandByte(char c, const SimTime& time, FirmwareOutput& out) {
  if (inSettings_) {
    if (c == 'X') {
      inSettings_ = false;
      onChannelSettings(pendingSettings_, out);
    } else if (pendingSettings_.size() < 16) {
      pendingSettings_.push_back(c);
    }
    return;
  }
  switch (c) {
    case 'v': {
      streaming_ = false;
      gains_.fill(24);
      daisyActive_ = config_.daisy;
      std::string text = "OpenBCI V3 8-16 channel\nOn Board ADS1299 Device ID: 0x3E\n";
      if (config_.daisy) text += "On Daisy ADS1299 Device ID: 0x3E\n";
      text += "LIS3DH Device ID: 0x33\nFirmware: " + config_.firmware + "\n$$$";
      out.add(text);
      report(QStringLiteral("reset"), {{"daisy", config_.daisy}});
      break;
    }
    case 'b':
      if (!streaming_) {
        streaming_ = true;
        startUs_ = time.deviceUs;
        packetsSent_ = 0;
        report(QStringLiteral("stream"), {{"on", true}, {"channels", static_cast<int>(channels())}});
      }
      break;
    case 's':
      if (streaming_) report(QStringLiteral("stream"), {{"on", false}});
      streaming_ = false;
      break;
    case 'x':
      inSettings_ = true;
      pendingSettings_.clear();
      break;
    case 'c':
      daisyActive_ = false;
      if (!streaming_) out.add(std::string_view("daisy removed$$$"));
      break;
    default:
      break;  // other commands of the real board are not simulated
  }
}

void CytonFirmware::onChannelSettings(const std::string& command, FirmwareOutput& out) {
  // <channel><power><gain><input><bias><srb2><srb1>
  std::uint32_t channel = 0;
  if (command.size() == 7) {
    if (command[0] >= '1' && command[0] <= '8') channel = static_cast<std::uint32_t>(command[0] - '0');
    for (std::uint32_t i = 0; i < 8; ++i) {
      if (command[0] == kDaisyChannelChars[i]) channel = 9 + i;
    }
  }
  const int gainCode = command.size() == 7 ? command[2] - '0' : -1;
  if (channel == 0 || channel > channels() || gainCode < 0 || gainCode > 6) {
    if (!streaming_) out.add(std::string_view("Failure: invalid channel settings$$$"));
    return;
  }
  gains_[channel - 1] = kGains[static_cast<std::size_t>(gainCode)];
  report(QStringLiteral("channel"),
         {{"channel", static_cast<int>(channel)}, {"gain", static_cast<int>(gains_[channel - 1])}});
  if (!streaming_) out.add("Success: Channel set for " + std::to_string(channel) + "$$$");
}

void CytonFirmware::tick(const SimTime& time, FirmwareOutput& out) {
  if (!streaming_) return;
  const auto due =
      static_cast<std::uint64_t>(static_cast<double>(time.deviceUs - startUs_) * kPacketRateHz / 1e6);
  while (packetsSent_ < due) appendPacket(out);
}

void CytonFirmware::appendPacket(FirmwareOutput& out) {
  const auto counter = static_cast<std::uint8_t>(packetsSent_ & 0xFF);
  // Without a Daisy every packet is one sample; with one, a sample is the
  // even packet (channels 9-16) followed by the odd one (channels 1-8).
  const bool daisyHalf = daisyActive_ && counter % 2 == 0;
  if (!daisyActive_ || daisyHalf) {
    const std::uint64_t index = daisyActive_ ? packetsSent_ / 2 : packetsSent_;
    const double rate = daisyActive_ ? kPacketRateHz / 2.0 : kPacketRateHz;
    const double deviceUs = static_cast<double>(startUs_) + static_cast<double>(index) * 1e6 / rate;
    for (std::uint32_t ch = 0; ch < channels(); ++ch)
      current_[ch] = signalSample(index, ch, rate, deviceUs);
  }
  const std::size_t first = daisyHalf ? 8 : 0;
  auto& bytes = out.buffer();
  bytes.push_back(0xA0);
  bytes.push_back(counter);
  for (std::size_t ch = first; ch < first + 8; ++ch) {
    const auto raw = static_cast<std::uint32_t>(toCounts(current_[ch], gains_[ch])) & 0xFFFFFF;
    bytes.push_back(static_cast<std::uint8_t>(raw >> 16));
    bytes.push_back(static_cast<std::uint8_t>(raw >> 8));
    bytes.push_back(static_cast<std::uint8_t>(raw));
  }
  bytes.insert(bytes.end(), 6, 0);  // accelerometer: not simulated
  bytes.push_back(0xC0);
  out.endUnit();
  ++packetsSent_;
}

void CytonFirmware::corrupt(std::span<std::uint8_t> unit) {
  // A broken footer: the host must drop the packet and find the next header.
  if (unit.size() == 33 && unit[0] == 0xA0)
    unit[32] = 0x3F;
  else
    DeviceFirmware::corrupt(unit);
}

}  // namespace tautband::devices::sim
