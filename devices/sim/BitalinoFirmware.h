#pragma once

#include "devices/sim/EmgBoardFirmware.h"

#include <string>

namespace tautband::devices::sim {

struct BitalinoFirmwareConfig {
  std::string version = "BITalino_v5.1";
  double emgGain = 1009.0;
  double vcc = 3.3;
  SimSignal::Config signal;
};

// The firmware of a simulated BITalino with EMG sensors on every channel:
// 0x07 version string, (code << 6) | 0x03 sample rate, (mask << 2) | 0x01
// live mode, 0x00 idle; frames of 3-8 bytes ending in a 4-bit sequence
// number and CRC-4 (x^4 + x + 1), packed as PLUX's API unpacks them. The
// CRC here is bit-serial, independent of the driver's table.
class BitalinoFirmware : public EmgBoardFirmware {
 public:
  BitalinoFirmware(BitalinoFirmwareConfig config, EventSink events);

  QString kind() const override { return QStringLiteral("bitalino"); }
  void onBytes(std::span<const std::uint8_t> bytes, const SimTime& time, FirmwareOutput& out) override;
  void tick(const SimTime& time, FirmwareOutput& out) override;
  void corrupt(std::span<std::uint8_t> unit) override;

  bool live() const { return live_; }
  std::uint32_t rateHz() const { return rateHz_; }
  std::uint32_t channels() const { return channels_; }

  // Frame helpers, shared with tests of the simulator.
  static std::uint8_t crc4(std::span<const std::uint8_t> frame);  // CRC nibble taken as 0
  static void packFrame(std::uint8_t sequence, std::span<const std::uint16_t> analog,
                        std::vector<std::uint8_t>& out);

 private:
  void appendFrame(FirmwareOutput& out);
  std::uint16_t toAdc(double uv, std::uint32_t bits) const;

  BitalinoFirmwareConfig config_;
  bool live_ = false;
  std::uint32_t rateHz_ = 1000;
  std::uint32_t channels_ = 0;
  std::int64_t startUs_ = 0;
  std::uint64_t framesSent_ = 0;
  std::vector<std::uint8_t> frame_;
};

}  // namespace tautband::devices::sim
