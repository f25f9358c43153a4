#pragma once

// OpenBCI Cyton (and Cyton + Daisy) as a Tautband driver plugin: a codec over
// the board's serial bytes (docs/DRIVERS.md). Pure: no port, thread or clock
// of its own; the host feeds bytes and ticks through the C ABI.

#include "EmgBlockAccumulator.h"
#include "tautband/driver.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tautband::drivers::cyton {

inline constexpr std::size_t kPacketSize = 33;
inline constexpr std::uint8_t kHeader = 0xA0;
inline constexpr std::uint8_t kFooterFirst = 0xC0;
inline constexpr std::uint8_t kFooterLast = 0xC6;
inline constexpr std::uint32_t kBoardChannels = 8;
inline constexpr std::uint32_t kPacketRateHz = 250;
// Gains of the ADS1299's PGA, indexed by the code sent in 'x...X'.
inline constexpr std::array<std::uint32_t, 7> kGains = {1, 2, 4, 6, 8, 12, 24};

// µV per ADC count at a PGA gain: 4.5 V reference / gain / (2^23 - 1).
double microvoltsPerCount(std::uint32_t gain);
// 24-bit big-endian two's complement to int32.
std::int32_t decode24(const std::uint8_t* bytes);
// 'x<ch><power><gain><input><bias><srb2><srb1>X' for a 1-based channel.
std::string channelSettingsCommand(std::uint32_t channel, std::uint32_t gain, bool bias, bool srb2);

struct CytonSettings {
  enum class Daisy { Auto, Off, On } daisy = Daisy::Auto;
  std::uint32_t gain = 24;  // every channel
  bool bias = true;
  bool srb2 = true;
  // Parses the manifest's settings; throws std::invalid_argument on a bad value.
  static CytonSettings fromJson(const std::string& json);
};

class CytonDriver : public sdk::Driver {
 public:
  CytonDriver(const tb_host& host, const std::string& settingsJson);

  tb_status start(std::vector<std::uint8_t>& out) override;
  tb_status receive(const std::uint8_t* bytes, std::size_t size) override;
  tb_status tick(std::uint64_t nowUs) override;
  tb_status encode(const tb_command& command, std::vector<std::uint8_t>& out) override;

 private:
  enum class Phase { AwaitingReset, Configuring, Idle, Streaming };

  void onText(std::uint8_t byte);
  void onResetReply();
  void onPacket(const std::uint8_t* packet);
  std::uint32_t channels() const { return daisy_ ? 2 * kBoardChannels : kBoardChannels; }
  std::uint32_t sampleRate() const { return daisy_ ? kPacketRateHz / 2 : kPacketRateHz; }
  // Daisy samples pair two packets, so their sequence is the counter / 2.
  EmgStreamShape streamShape() const { return {channels(), sampleRate(), daisy_ ? 128u : 256u}; }

  CytonSettings settings_;
  Phase phase_ = Phase::AwaitingReset;
  bool daisy_ = false;
  std::array<float, 2 * kBoardChannels> scale_{};  // µV per count, per channel

  // Byte stream: a fixed buffer, never more than one packet plus a little.
  std::array<std::uint8_t, 2 * kPacketSize> pending_{};
  std::size_t pendingSize_ = 0;
  std::string text_;               // reply text since the last "$$$", bounded
  std::size_t configReplies_ = 0;  // "$$$" answers still expected to channel commands

  // Daisy: the even (Daisy, channels 9-16) packet waiting for its odd partner.
  std::optional<std::uint8_t> daisyCounter_;
  std::array<float, kBoardChannels> daisyValues_{};

  EmgBlockAccumulator emg_;  // samples to blocks; answers the pending 'b'
  std::uint64_t nowUs_ = 0;
  std::optional<std::uint64_t> resetSentUs_;  // set at the first tick after start()
  bool resetFaultActive_ = false;
};

}  // namespace tautband::drivers::cyton
