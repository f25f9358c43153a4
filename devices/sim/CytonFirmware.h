#pragma once

#include "devices/sim/EmgBoardFirmware.h"

#include <array>
#include <string>

namespace tautband::devices::sim {

struct CytonFirmwareConfig {
  bool daisy = false;  // a Daisy module attached: 16 channels at 125 Hz
  std::string firmware = "v3.1.2";
  SimSignal::Config signal;
};

// The firmware of a simulated OpenBCI Cyton (with optional Daisy): 'v' soft
// reset with its "$$$"-terminated identity text, 'b'/'s' streaming, 'x...X'
// channel settings (gain per channel), 'c' Daisy off; 33-byte packets at
// 250 Hz (0xA0, counter, 8 x 24-bit big-endian, 6 aux bytes, 0xC0), the
// Daisy's channels in even-counter packets. Written from OpenBCI's Cyton
// data format documentation, independently of the driver.
class CytonFirmware : public EmgBoardFirmware {
 public:
  CytonFirmware(CytonFirmwareConfig config, EventSink events);

  QString kind() const override { return QStringLiteral("cyton"); }
  void onBytes(std::span<const std::uint8_t> bytes, const SimTime& time, FirmwareOutput& out) override;
  void tick(const SimTime& time, FirmwareOutput& out) override;
  void corrupt(std::span<std::uint8_t> unit) override;

  bool streaming() const { return streaming_; }
  std::uint32_t gain(std::uint32_t channel) const { return gains_.at(channel); }
  std::uint32_t channels() const { return daisyActive_ ? 16 : 8; }

 private:
  void onCommandByte(char c, const SimTime& time, FirmwareOutput& out);
  void onChannelSettings(const std::string& command, FirmwareOutput& out);
  void appendPacket(FirmwareOutput& out);

  CytonFirmwareConfig config_;
  bool streaming_ = false;
  bool daisyActive_;
  std::array<std::uint32_t, 16> gains_{};
  std::string pendingSettings_;  // between 'x' and 'X'
  bool inSettings_ = false;
  std::int64_t startUs_ = 0;
  std::uint64_t packetsSent_ = 0;
  std::array<double, 16> current_{};  // the 16-channel sample being sent (Daisy: two packets)
};

}  // namespace tautband::devices::sim
