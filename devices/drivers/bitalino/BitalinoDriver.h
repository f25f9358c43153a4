#pragma once

// PLUX BITalino as a Tautband driver plugin: a codec over the board's bytes
// (serial 115200 or Bluetooth Classic RFCOMM; docs/DRIVERS.md). Frame layout
// and CRC-4 as in PLUX's BITalino C++ API (bitalino.cpp, LGPL-3.0).

#include "EmgBlockAccumulator.h"
#include "tautband/driver.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tautband::drivers::bitalino {

inline constexpr std::uint32_t kMaxChannels = 6;
inline constexpr std::uint32_t kSequenceModulus = 16;
inline constexpr std::array<std::uint32_t, 4> kRatesHz = {1, 10, 100, 1000};

// Bytes per frame for 1..6 analog channels: 3, 4, 6, 7, 8, 8.
std::size_t frameSize(std::uint32_t channels);
// CRC-4 (x^4 + x + 1) over the frame with its own CRC nibble taken as 0;
// true when it matches the low nibble of the last byte.
bool checkCrc4(const std::uint8_t* frame, std::size_t size);
// Sets the low nibble of the last byte to the frame's CRC-4 (simulator, tests).
void writeCrc4(std::uint8_t* frame, std::size_t size);
// ADC bits of an analog slot (0-based, in frame order): 10 for slots 0-3, 6 for 4-5.
std::uint32_t slotBits(std::uint32_t slot);
// The ADC values of the first `channels` slots of a frame.
void unpackFrame(const std::uint8_t* frame, std::size_t size, std::uint32_t channels, std::uint16_t* analog);
// EMG sensor transfer function in µV: ((adc / 2^bits) - 1/2) * vcc / gain [V] * 10^6.
double emgMicrovolts(std::uint32_t adc, std::uint32_t bits, double gain, double vcc = 3.3);
// The start command bytes: sample-rate byte (code << 6) | 0x03, then live mode (mask << 2) | 0x01.
std::array<std::uint8_t, 2> startCommand(std::uint32_t rateHz, std::uint8_t channelMask);

struct BitalinoSettings {
  std::uint8_t channelMask = 0x01;  // bit 0 = A1 ... bit 5 = A6
  std::uint32_t rateHz = 1000;
  double emgGain = 1009.0;  // G_EMG of the BITalino EMG sensor datasheet
  static BitalinoSettings fromJson(const std::string& json);
};

class BitalinoDriver : public sdk::Driver {
 public:
  BitalinoDriver(const tb_host& host, const std::string& settingsJson);

  tb_status start(std::vector<std::uint8_t>& out) override;
  tb_status receive(const std::uint8_t* bytes, std::size_t size) override;
  tb_status tick(std::uint64_t nowUs) override;
  tb_status encode(const tb_command& command, std::vector<std::uint8_t>& out) override;

 private:
  enum class Phase { AwaitingVersion, Idle, Streaming };

  void onVersionByte(std::uint8_t byte);
  void onStreamByte(std::uint8_t byte);
  void onFrame(const std::uint8_t* frame);

  BitalinoSettings settings_;
  Phase phase_ = Phase::AwaitingVersion;
  std::string version_;

  // Stream state for the current acquisition.
  std::uint32_t channels_ = 1;
  std::uint32_t rateHz_ = 1000;
  std::size_t frameSize_ = 3;
  std::array<std::uint8_t, 16> window_{};  // up to two frames
  std::size_t windowSize_ = 0;
  bool synced_ = false;  // unsynced: two consecutive valid frames are needed to lock on

  EmgBlockAccumulator emg_;  // samples to blocks; answers the pending start
  std::uint64_t nowUs_ = 0;
};

}  // namespace tautband::drivers::bitalino
