#include "devices/sim/LaserModel.h"

#include "tautband/protocols/Envelope.h"

#include <cmath>

namespace tautband::devices::sim {

LaserModel::LaserModel(LaserModelConfig config, EventSink events)
    : config_(std::move(config)), events_(std::move(events)), statusPeriodUs_(config_.statusPeriodUs) {}

proto::DeviceInfo LaserModel::deviceInfo(std::uint32_t requestId) const {
  proto::DeviceInfo info;
  info.set_request_id(requestId);
  info.set_vendor("Tautband");
  info.set_model("Simulated therapy laser");
  info.set_serial(config_.serial);
  info.set_firmware("sim-1.0");
  *info.mutable_protocol() = protocols::currentProtocolVersion();
  auto* laser = info.mutable_laser();
  auto* cw = laser->add_sources();
  cw->set_wavelength_nm(808);
  cw->add_modes(proto::LASER_MODE_CW);
  cw->set_max_power_mw(config_.max808PowerMw);
  auto* pulsed = laser->add_sources();
  pulsed->set_wavelength_nm(905);
  pulsed->add_modes(proto::LASER_MODE_PULSED);
  pulsed->set_max_power_mw(config_.max905PowerMw);
  pulsed->set_min_frequency_hz(1);
  pulsed->set_max_frequency_hz(10000);
  for (std::uint32_t um : {1000u, 3000u, 5000u}) laser->add_spot_diameters_um(um);
  laser->set_aiming_beam(true);
  laser->set_key_switch_input(true);
  laser->set_interlock_input(true);
  laser->set_firmware_watchdog(config_.firmwareWatchdog);
  laser->set_watchdog_timeout_ms(static_cast<std::uint32_t>(config_.watchdogTimeoutUs / 1000));
  return info;
}

std::uint32_t LaserModel::maxPowerMw() const {
  return wavelengthNm_ == 905 ? config_.max905PowerMw : config_.max808PowerMw;
}

void LaserModel::reply(std::uint32_t requestId, std::vector<proto::Envelope>& out, std::uint32_t counter) {
  auto& m = out.emplace_back();
  m.mutable_ack()->set_request_id(requestId);
  m.mutable_ack()->set_counter(counter);
}

void LaserModel::nack(std::uint32_t requestId, proto::NackReason reason, const std::string& detail,
                      std::vector<proto::Envelope>& out) {
  auto& m = out.emplace_back();
  m.mutable_nack()->set_request_id(requestId);
  m.mutable_nack()->set_reason(reason);
  m.mutable_nack()->set_detail(detail);
}

void LaserModel::handle(const proto::Envelope& message, std::int64_t nowUs,
                        std::vector<proto::Envelope>& out) {
  switch (message.body_case()) {
    case proto::Envelope::kHello: {
      if (message.hello().protocol().major() != protocols::kProtocolVersion.major) {
        nack(message.hello().request_id(), proto::NACK_REASON_VERSION_MISMATCH, "protocol major differs",
             out);
        return;
      }
      *out.emplace_back().mutable_device_info() = deviceInfo(message.hello().request_id());
      return;
    }
    case proto::Envelope::kLaserCommand:
      handleLaser(message.laser_command(), nowUs, out);
      return;
    case proto::Envelope::kEmgCommand:
      nack(message.emg_command().request_id(), proto::NACK_REASON_UNSUPPORTED, "this device has no EMG", out);
      return;
    default:
      return;  // telemetry from a host makes no sense; drop it
  }
}

void LaserModel::handleLaser(const proto::LaserCommand& command, std::int64_t nowUs,
                             std::vector<proto::Envelope>& out) {
  const auto id = command.request_id();
  const bool emitting = state_ == proto::EMISSION_STATE_EMITTING;
  switch (command.command_case()) {
    case proto::LaserCommand::kEmissionOff:
      // Never refused, acted on first.
      if (emitting || state_ == proto::EMISSION_STATE_ARMED) {
        stopEmission(QStringLiteral("emission_off command"), proto::EMISSION_STATE_OFF, nowUs, out);
      }
      reply(id, out);
      return;
    case proto::LaserCommand::kKeepAlive:
      lastKeepAliveUs_ = nowUs;
      reply(id, out, command.keep_alive().counter());
      return;
    case proto::LaserCommand::kSetWavelength: {
      const auto nm = command.set_wavelength().wavelength_nm();
      if (emitting) return nack(id, proto::NACK_REASON_BUSY, "cannot change wavelength while emitting", out);
      if (nm != 808 && nm != 905) return nack(id, proto::NACK_REASON_OUT_OF_RANGE, "808 or 905 nm only", out);
      wavelengthNm_ = nm;
      mode_ = nm == 905 ? proto::LASER_MODE_PULSED : proto::LASER_MODE_CW;
      setPowerMw_ = std::min(setPowerMw_, maxPowerMw());
      return reply(id, out);
    }
    case proto::LaserCommand::kSetPower: {
      const auto mw = command.set_power().power_mw();
      if (mw > maxPowerMw())
        return nack(id, proto::NACK_REASON_OUT_OF_RANGE, "above the source's maximum", out);
      setPowerMw_ = mw;
      return reply(id, out);
    }
    case proto::LaserCommand::kSetMode: {
      const auto mode = command.set_mode().mode();
      const auto allowed = wavelengthNm_ == 905 ? proto::LASER_MODE_PULSED : proto::LASER_MODE_CW;
      if (mode != allowed)
        return nack(id, proto::NACK_REASON_OUT_OF_RANGE, "808 nm is CW, 905 nm is pulsed", out);
      mode_ = mode;
      return reply(id, out);
    }
    case proto::LaserCommand::kSetFrequency: {
      const auto hz = command.set_frequency().frequency_hz();
      if (hz < 1 || hz > 10000) return nack(id, proto::NACK_REASON_OUT_OF_RANGE, "1..10000 Hz", out);
      frequencyHz_ = hz;
      return reply(id, out);
    }
    case proto::LaserCommand::kSetDuty: {
      const auto permille = command.set_duty().duty_permille();
      if (permille < 1 || permille > 1000)
        return nack(id, proto::NACK_REASON_OUT_OF_RANGE, "1..1000 permille", out);
      dutyPermille_ = permille;
      return reply(id, out);
    }
    case proto::LaserCommand::kArm:
      if (!command.arm().armed()) {
        if (state_ != proto::EMISSION_STATE_FAULT) {
          stopEmission(QStringLiteral("disarmed"), proto::EMISSION_STATE_OFF, nowUs, out);
        }
        return reply(id, out);
      }
      if (!faults_.empty()) return nack(id, proto::NACK_REASON_FAULT_ACTIVE, "clear the fault first", out);
      if (!keyOn_) return nack(id, proto::NACK_REASON_KEY_OFF, "key switch is off", out);
      if (!interlockClosed_) return nack(id, proto::NACK_REASON_INTERLOCK_OPEN, "interlock is open", out);
      if (state_ == proto::EMISSION_STATE_OFF) state_ = proto::EMISSION_STATE_ARMED;
      reply(id, out);
      sendStatus(nowUs, out);
      return;
    case proto::LaserCommand::kEmitOn:
      if (state_ != proto::EMISSION_STATE_ARMED)
        return nack(id, proto::NACK_REASON_NOT_ARMED, "arm first", out);
      if (setPowerMw_ == 0) return nack(id, proto::NACK_REASON_OUT_OF_RANGE, "power is 0 mW", out);
      state_ = proto::EMISSION_STATE_EMITTING;
      emitStartUs_ = nowUs;
      lastKeepAliveUs_ = nowUs;
      emitCapMs_ = command.emit_on().max_duration_ms();
      if (events_) {
        events_(QStringLiteral("emission"), {{"on", true},
                                             {"device_time_us", static_cast<double>(nowUs)},
                                             {"power_mw", static_cast<double>(setPowerMw_)},
                                             {"wavelength_nm", static_cast<double>(wavelengthNm_)}});
      }
      reply(id, out);
      sendStatus(nowUs, out);
      return;
    case proto::LaserCommand::COMMAND_NOT_SET:
      return nack(id, proto::NACK_REASON_UNSUPPORTED, "empty command", out);
  }
}

void LaserModel::stopEmission(const QString& reason, proto::EmissionState next, std::int64_t nowUs,
                              std::vector<proto::Envelope>& out) {
  const bool wasEmitting = state_ == proto::EMISSION_STATE_EMITTING;
  state_ = next;
  if (wasEmitting && events_) {
    events_(QStringLiteral("emission"),
            {{"on", false},
             {"reason", reason},
             {"device_time_us", static_cast<double>(nowUs)},
             {"since_keep_alive_us", static_cast<double>(nowUs - lastKeepAliveUs_)}});
  }
  sendStatus(nowUs, out);
}

void LaserModel::raiseFault(proto::FaultCode code, const std::string& detail, std::int64_t nowUs,
                            std::vector<proto::Envelope>& out) {
  const bool wasEmitting = state_ == proto::EMISSION_STATE_EMITTING;
  faults_.insert(code);
  auto& m = out.emplace_back();
  auto* fault = m.mutable_fault();
  fault->set_device_time_us(static_cast<std::uint64_t>(nowUs));
  fault->set_code(code);
  fault->set_active(true);
  fault->set_emission_stopped(wasEmitting);
  fault->set_detail(detail);
  if (events_)
    events_(QStringLiteral("fault"),
            {{"code", static_cast<int>(code)}, {"detail", QString::fromStdString(detail)}});
  stopEmission(QString::fromStdString(detail), proto::EMISSION_STATE_FAULT, nowUs, out);
}

void LaserModel::clearFaults(std::int64_t nowUs, std::vector<proto::Envelope>& out) {
  for (const auto code : faults_) {
    auto& m = out.emplace_back();
    m.mutable_fault()->set_device_time_us(static_cast<std::uint64_t>(nowUs));
    m.mutable_fault()->set_code(code);
    m.mutable_fault()->set_active(false);
  }
  faults_.clear();
  if (state_ == proto::EMISSION_STATE_FAULT) state_ = proto::EMISSION_STATE_OFF;
  sendStatus(nowUs, out);
}

void LaserModel::setInterlockClosed(bool closed, std::int64_t nowUs, std::vector<proto::Envelope>& out) {
  interlockClosed_ = closed;
  if (!closed && (state_ == proto::EMISSION_STATE_EMITTING || state_ == proto::EMISSION_STATE_ARMED)) {
    raiseFault(proto::FAULT_CODE_INTERLOCK_OPEN, "interlock opened", nowUs, out);
  } else {
    sendStatus(nowUs, out);
  }
}

void LaserModel::setKeyOn(bool on, std::int64_t nowUs, std::vector<proto::Envelope>& out) {
  keyOn_ = on;
  if (!on && (state_ == proto::EMISSION_STATE_EMITTING || state_ == proto::EMISSION_STATE_ARMED)) {
    raiseFault(proto::FAULT_CODE_KEY_OFF, "key switched off", nowUs, out);
  } else {
    sendStatus(nowUs, out);
  }
}

void LaserModel::tick(std::int64_t nowUs, std::vector<proto::Envelope>& out) {
  if (state_ == proto::EMISSION_STATE_EMITTING) {
    if (config_.firmwareWatchdog && nowUs - lastKeepAliveUs_ > config_.watchdogTimeoutUs) {
      raiseFault(proto::FAULT_CODE_WATCHDOG_EXPIRED, "watchdog: no keep-alive", nowUs, out);
    } else if (emitCapMs_ > 0 && nowUs - emitStartUs_ >= static_cast<std::int64_t>(emitCapMs_) * 1000) {
      stopEmission(QStringLiteral("emit_on duration reached"), proto::EMISSION_STATE_ARMED, nowUs, out);
    }
  }
  // Measured power follows the average set power with a ~30 ms lag and 1 % noise.
  const double target = state_ == proto::EMISSION_STATE_EMITTING
                            ? setPowerMw_ * (mode_ == proto::LASER_MODE_PULSED ? dutyPermille_ / 1000.0 : 1.0)
                            : 0.0;
  const double dt = static_cast<double>(nowUs - lastTickUs_) / 1e6;
  lastTickUs_ = nowUs;
  const double alpha = 1.0 - std::exp(-std::max(0.0, dt) / 0.03);
  measuredPowerMw_ = static_cast<float>(measuredPowerMw_ + alpha * (target - measuredPowerMw_));
  if (lastStatusUs_ < 0 || nowUs - lastStatusUs_ >= statusPeriodUs_) sendStatus(nowUs, out);
}

void LaserModel::sendStatus(std::int64_t nowUs, std::vector<proto::Envelope>& out) {
  lastStatusUs_ = nowUs;
  auto& m = out.emplace_back();
  auto* s = m.mutable_laser_status();
  s->set_sequence(++statusSequence_);
  s->set_device_time_us(static_cast<std::uint64_t>(nowUs));
  s->set_emission(state_);
  std::normal_distribution<float> noise(0.f, 0.01f);
  s->set_measured_power_mw(measuredPowerMw_ > 0.5f ? measuredPowerMw_ * (1.f + noise(rng_)) : 0.f);
  s->set_interlock_closed(interlockClosed_);
  s->set_key_on(keyOn_);
  s->set_temperature_c(25.f + measuredPowerMw_ / 100.f);
  for (const auto code : faults_) s->add_faults(code);
  s->set_watchdog(!config_.firmwareWatchdog                           ? proto::WATCHDOG_STATE_ABSENT
                  : state_ == proto::EMISSION_STATE_EMITTING          ? proto::WATCHDOG_STATE_RUNNING
                  : faults_.count(proto::FAULT_CODE_WATCHDOG_EXPIRED) ? proto::WATCHDOG_STATE_EXPIRED
                                                                      : proto::WATCHDOG_STATE_IDLE);
  s->set_wavelength_nm(wavelengthNm_);
  s->set_set_power_mw(setPowerMw_);
  s->set_mode(mode_);
  s->set_frequency_hz(frequencyHz_);
  s->set_duty_permille(dutyPermille_);
}

}  // namespace tautband::devices::sim
