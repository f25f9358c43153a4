#pragma once

// A laser diode current source with SCPI-like text commands (Arroyo
// LaserSource style, ILX-compatible command names) as a Tautband driver
// plugin (docs/DRIVERS.md). The source has NO communication watchdog:
// the manifest says so, and the console needs a declared hardware interlock
// loop before it can be armed.

#include "tautband/driver.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tautband::drivers::scpi {

// LAS:COND? bits (ILX LDC-3700/3900 manuals; Arroyo claims ILX compatibility).
inline constexpr std::uint32_t kCondCurrentLimit = 1u << 0;
inline constexpr std::uint32_t kCondVoltageLimit = 1u << 1;
inline constexpr std::uint32_t kCondInterlockDisabled = 1u << 4;
inline constexpr std::uint32_t kCondOpenCircuit = 1u << 7;
inline constexpr std::uint32_t kCondShorted = 1u << 8;
inline constexpr std::uint32_t kCondOutputOn = 1u << 10;
inline constexpr std::uint32_t kCondHardwareErrors = (1u << 13) | (1u << 14) | (1u << 15);

inline constexpr std::uint32_t kFaultDeviceError = 1001;  // ERR? reported an error
inline constexpr std::uint32_t kFaultNoReply = 1002;      // a query went unanswered

inline constexpr char kEmissionOff[] = "LAS:OUT 0\r\n";

// mA -> mW, piecewise linear; the only source of optical power figures.
class CalibrationTable {
 public:
  CalibrationTable() = default;
  // points: (mA, mW), mA strictly increasing, mW non-decreasing. Throws std::invalid_argument.
  explicit CalibrationTable(std::vector<std::pair<double, double>> points);
  bool empty() const { return points_.empty(); }
  double powerMw(double currentMa) const;                 // extrapolates the last segment, never < 0
  std::optional<double> currentMa(double powerMw) const;  // nullopt outside the table
  double maxPowerMw() const { return points_.empty() ? 0 : points_.back().second; }

 private:
  std::vector<std::pair<double, double>> points_;
};

struct ScpiLaserSettings {
  std::uint32_t baud = 38400;  // used by the host for the port
  std::uint32_t wavelengthNm = 808;
  double currentLimitMa = 0;  // 0: leave the device's LAS:LIM:LDI alone
  std::uint32_t pollIntervalMs = 50;
  CalibrationTable calibration;
  static ScpiLaserSettings fromJson(const std::string& json);
};

// Locale-independent decimal text (the host's locale may use a decimal comma).
std::string formatDecimal(double value);
std::optional<double> parseDecimal(std::string_view text);

class ScpiLaserDriver : public sdk::Driver {
 public:
  ScpiLaserDriver(const tb_host& host, const std::string& settingsJson);

  tb_status start(std::vector<std::uint8_t>& out) override;
  tb_status receive(const std::uint8_t* bytes, std::size_t size) override;
  tb_status tick(std::uint64_t nowUs) override;
  tb_status encode(const tb_command& command, std::vector<std::uint8_t>& out) override;

 private:
  enum class QueryKind : std::uint8_t { Idn, Cond, Ldi, SetLdi, Err };
  struct Query {
    QueryKind kind;
    std::uint32_t requestId;  // for Err: the command it answers (0: internal)
    std::uint64_t sentUs;
  };
  static constexpr std::size_t kMaxQueries = 32;

  bool push(QueryKind kind, std::uint32_t requestId = 0);
  void append(std::vector<std::uint8_t>& out, std::string_view text) const;
  void onLine(std::string_view line);
  void onIdentity(std::string_view line);
  void onError(std::string_view line, std::uint32_t requestId);
  void emitStatus();
  void setFault(std::uint32_t code, bool active, const std::string& detail);
  void refuse(std::uint32_t requestId, const std::string& why) { reply(requestId, false, why); }

  ScpiLaserSettings settings_;
  bool identified_ = false;
  bool armed_ = false;

  std::array<Query, kMaxQueries> queries_{};
  std::size_t queryHead_ = 0;
  std::size_t queryCount_ = 0;

  std::string line_;
  bool lineOverflow_ = false;

  std::optional<std::uint32_t> condition_;
  std::optional<double> measuredMa_;
  std::optional<double> setPointMa_;
  std::uint64_t nowUs_ = 0;
  std::uint64_t lastPollUs_ = 0;
  std::uint32_t polls_ = 0;
  std::vector<std::uint32_t> activeFaults_;
};

}  // namespace tautband::drivers::scpi
