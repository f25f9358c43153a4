#pragma once

#include "devices/sim/DeviceFirmware.h"
#include "devices/sim/SimEvents.h"

#include <deque>
#include <random>
#include <string>

namespace tautband::devices::sim {

struct ScpiLaserFirmwareConfig {
  std::string serial = "SIM-SCPI-0001";
  double currentLimitMa = 1000;
  double maxCurrentMa = 2000;  // the instrument's range
};

// The firmware of a simulated laser diode current source with SCPI-like text
// commands (Arroyo LaserSource style): *IDN?, LAS:OUT, LAS:LDI (set point,
// mA), LAS:SET:LDI?, LAS:LDI? (measured), LAS:LIM:LDI, LAS:COND? (bit 4
// interlock disabled, bit 7 open circuit, bit 10 output on), ERR?. Set
// commands answer nothing; errors queue for ERR?. Like the real thing it has
// NO communication watchdog: a silent host leaves the output as it is. Its
// hardware interlock and key switch turn the output off.
class ScpiLaserFirmware : public DeviceFirmware {
 public:
  ScpiLaserFirmware(ScpiLaserFirmwareConfig config, EventSink events);

  QString kind() const override { return QStringLiteral("scpi-laser"); }
  void onBytes(std::span<const std::uint8_t> bytes, const SimTime& time, FirmwareOutput& out) override;
  void tick(const SimTime& time, FirmwareOutput& out) override;
  CommandOutcome command(const QString& verb, const QString& arg, const SimTime& time,
                         FirmwareOutput& out) override;
  void corrupt(std::span<std::uint8_t> unit) override;

  bool outputOn() const { return output_; }
  double setPointMa() const { return setMa_; }
  std::uint32_t condition() const;

  // Error codes queued for ERR? (Arroyo style numbers).
  static constexpr int kErrUnknownCommand = 101;
  static constexpr int kErrBadParameter = 102;
  static constexpr int kErrOutOfRange = 402;
  static constexpr int kErrInterlock = 503;

 private:
  void onLine(const std::string& line, const SimTime& time, FirmwareOutput& out);
  void setOutput(bool on, const QString& reason, const SimTime& time);
  void reply(FirmwareOutput& out, const std::string& text) { out.add(text + "\r\n"); }
  void pushError(int code);

  ScpiLaserFirmwareConfig config_;
  EventSink events_;
  std::string line_;
  bool output_ = false;
  double setMa_ = 0;
  double limitMa_;
  bool interlockClosed_ = true;
  bool keyOn_ = true;
  bool openCircuit_ = false;
  std::deque<int> errors_;
  std::mt19937 rng_{905};
};

}  // namespace tautband::devices::sim
