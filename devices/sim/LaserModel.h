#pragma once

#include "devices/sim/SimEvents.h"
#include "tautband/device.pb.h"

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace tautband::devices::sim {

namespace proto = ::tautband::device::v1;

struct LaserModelConfig {
  std::string serial = "SIM-LASER-0001";
  bool firmwareWatchdog = true;
  std::int64_t watchdogTimeoutUs = 300'000;
  std::int64_t statusPeriodUs = 50'000;
  std::uint32_t max808PowerMw = 500;  // CW
  std::uint32_t max905PowerMw = 100;  // average, pulsed
};

// The firmware of a simulated therapy laser: 808 nm CW and 905 nm pulsed,
// key and interlock inputs, status every 50 ms, and its own watchdog that
// stops emission when keep-alives stop for 300 ms. Pure: time comes in as an
// argument and messages go out into a vector, so it is tested without ptys.
class LaserModel {
 public:
  LaserModel(LaserModelConfig config, EventSink events);

  void handle(const proto::Envelope& message, std::int64_t nowUs, std::vector<proto::Envelope>& out);
  void tick(std::int64_t nowUs, std::vector<proto::Envelope>& out);

  void setInterlockClosed(bool closed, std::int64_t nowUs, std::vector<proto::Envelope>& out);
  void setKeyOn(bool on, std::int64_t nowUs, std::vector<proto::Envelope>& out);
  void raiseFault(proto::FaultCode code, const std::string& detail, std::int64_t nowUs,
                  std::vector<proto::Envelope>& out);
  void clearFaults(std::int64_t nowUs, std::vector<proto::Envelope>& out);
  void setStatusPeriodUs(std::int64_t periodUs) { statusPeriodUs_ = periodUs; }

  proto::EmissionState emission() const { return state_; }
  float measuredPowerMw() const { return measuredPowerMw_; }
  proto::DeviceInfo deviceInfo(std::uint32_t requestId) const;

 private:
  void reply(std::uint32_t requestId, std::vector<proto::Envelope>& out, std::uint32_t counter = 0);
  void nack(std::uint32_t requestId, proto::NackReason reason, const std::string& detail,
            std::vector<proto::Envelope>& out);
  void handleLaser(const proto::LaserCommand& command, std::int64_t nowUs, std::vector<proto::Envelope>& out);
  void stopEmission(const QString& reason, proto::EmissionState next, std::int64_t nowUs,
                    std::vector<proto::Envelope>& out);
  void sendStatus(std::int64_t nowUs, std::vector<proto::Envelope>& out);
  std::uint32_t maxPowerMw() const;

  LaserModelConfig config_;
  EventSink events_;
  proto::EmissionState state_ = proto::EMISSION_STATE_OFF;
  std::set<proto::FaultCode> faults_;
  bool interlockClosed_ = true;
  bool keyOn_ = true;
  std::uint32_t wavelengthNm_ = 808;
  proto::LaserMode mode_ = proto::LASER_MODE_CW;
  std::uint32_t setPowerMw_ = 0;
  std::uint32_t frequencyHz_ = 5000;
  std::uint32_t dutyPermille_ = 500;
  std::uint32_t emitCapMs_ = 0;
  std::int64_t emitStartUs_ = 0;
  std::int64_t lastKeepAliveUs_ = 0;
  std::int64_t lastStatusUs_ = -1;
  std::int64_t lastTickUs_ = 0;
  std::int64_t statusPeriodUs_;
  std::uint64_t statusSequence_ = 0;
  float measuredPowerMw_ = 0;
  std::mt19937 rng_{808};
};

}  // namespace tautband::devices::sim
