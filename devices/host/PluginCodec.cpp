#include "devices/host/PluginCodec.h"

#include "core/Logging.h"
#include "tautband/protocols/Envelope.h"

#include <cmath>
#include <stdexcept>

namespace tautband::devices {
namespace {

constexpr std::uint32_t kMaxChannels = 64;
constexpr std::uint32_t kMaxSamplesPerBlock = 100000;
constexpr std::size_t kMaxCommandBytes = 4096;

bool validText(const char* s) { return s != nullptr; }

}  // namespace

// The C callbacks: context is the PluginCodec.
struct PluginCodec::Callbacks {
  static PluginCodec& self(void* context) { return *static_cast<PluginCodec*>(context); }

  static void deviceInfo(void* context, const tb_device_info* info) {
    auto& codec = self(context);
    if (!info || !validText(info->vendor) || !validText(info->model) || !validText(info->serial) ||
        !validText(info->firmware) || info->source_count > 16 || (info->source_count && !info->sources) ||
        info->channels > kMaxChannels) {
      return codec.fail("the driver returned an invalid device_info");
    }
    proto::Envelope e;
    auto* d = e.mutable_device_info();
    d->set_request_id(codec.helloRequestId_);
    d->set_vendor(info->vendor);
    d->set_model(info->model);
    d->set_serial(info->serial);
    d->set_firmware(info->firmware);
    *d->mutable_protocol() = protocols::currentProtocolVersion();
    if (info->source_count > 0) {
      auto* laser = d->mutable_laser();
      for (std::uint32_t i = 0; i < info->source_count; ++i) {
        auto* source = laser->add_sources();
        source->set_wavelength_nm(info->sources[i].wavelength_nm);
        source->set_max_power_mw(info->sources[i].max_power_mw);
        if (info->sources[i].modes & (1u << TB_LASER_CW)) source->add_modes(proto::LASER_MODE_CW);
        if (info->sources[i].modes & (1u << TB_LASER_PULSED)) source->add_modes(proto::LASER_MODE_PULSED);
      }
      laser->set_firmware_watchdog(info->firmware_watchdog != 0);
      laser->set_watchdog_timeout_ms(info->watchdog_timeout_ms);
    }
    if (info->channels > 0) {
      auto* emg = d->mutable_emg();
      emg->set_channels(info->channels);
      if (info->sample_rate_hz) emg->add_sample_rates_hz(info->sample_rate_hz);
      emg->set_microvolts_per_unit(kMicrovoltsPerUnit);
      emg->set_resolution_bits(info->resolution_bits);
      emg->set_applied_part(static_cast<proto::AppliedPart>(
          info->applied_part >= TB_APPLIED_PART_NONE && info->applied_part <= TB_APPLIED_PART_CF ? info->applied_part : 0));
    }
    codec.deliver(e);
  }

  static void emgBlock(void* context, const tb_emg_block* block) {
    auto& codec = self(context);
    if (!block || block->channel_count == 0 || block->channel_count > kMaxChannels || block->sample_count == 0 ||
        block->sample_count > kMaxSamplesPerBlock || !block->samples_uv || block->sample_rate_hz == 0 ||
        block->sample_rate_hz > 1'000'000) {
      return codec.fail("the driver returned an invalid emg_block");
    }
    // Unwrap the device's counter (mod 256 on a Cyton, 16 on a BITalino) so
    // the link sees a plain increasing sequence and counts gaps.
    std::uint64_t step = 1;
    if (codec.lastDeviceSequence_) {
      const auto m = block->sequence_modulus;
      step = m ? (block->sequence + m - (*codec.lastDeviceSequence_ % m)) % m : block->sequence - *codec.lastDeviceSequence_;
      if (step == 0) step = m ? m : 1;
    }
    codec.lastDeviceSequence_ = block->sequence;
    codec.emgSequence_ += step;
    auto& e = codec.scratch_;
    e.Clear();
    auto* frame = e.mutable_emg_frame();
    frame->set_sequence(codec.emgSequence_);
    frame->set_device_time_us(block->device_time_us);
    frame->set_channel_count(block->channel_count);
    frame->set_sample_rate_hz(block->sample_rate_hz);
    const std::size_t n = static_cast<std::size_t>(block->sample_count) * block->channel_count;
    auto* samples = frame->mutable_samples();
    samples->Reserve(static_cast<int>(n));
    for (std::size_t i = 0; i < n; ++i) {
      const float uv = block->samples_uv[i];
      if (!std::isfinite(uv) || std::abs(uv) > 1e7f) return codec.fail("the driver returned a non-finite or absurd sample");
      samples->AddAlreadyReserved(static_cast<std::int32_t>(std::lround(uv / kMicrovoltsPerUnit)));
    }
    codec.deliver(e);
  }

  static void laserStatus(void* context, const tb_laser_status* status) {
    auto& codec = self(context);
    if (!status || status->emission < TB_EMISSION_OFF || status->emission > TB_EMISSION_FAULT ||
        status->fault_count > 64 || (status->fault_count && !status->fault_codes)) {
      return codec.fail("the driver returned an invalid laser_status");
    }
    proto::Envelope e;
    auto* s = e.mutable_laser_status();
    s->set_sequence(++codec.statusSequence_);
    s->set_emission(static_cast<proto::EmissionState>(status->emission));
    s->set_measured_power_mw(status->measured_power_mw);
    s->set_interlock_closed(status->interlock_closed != 0);
    s->set_key_on(status->key_on != 0);
    s->set_temperature_c(status->temperature_c);
    for (std::uint32_t i = 0; i < status->fault_count; ++i) s->add_faults(static_cast<proto::FaultCode>(status->fault_codes[i]));
    s->set_watchdog(proto::WATCHDOG_STATE_UNSPECIFIED);
    s->set_wavelength_nm(status->wavelength_nm);
    s->set_set_power_mw(status->set_power_mw);
    codec.deliver(e);
  }

  static void fault(void* context, std::uint32_t code, std::int32_t active, const char* detail) {
    proto::Envelope e;
    e.mutable_fault()->set_code(static_cast<proto::FaultCode>(code));
    e.mutable_fault()->set_active(active != 0);
    e.mutable_fault()->set_detail(detail ? detail : "");
    self(context).deliver(e);
  }

  static void reply(void* context, std::uint32_t requestId, std::int32_t ok, const char* detail) {
    proto::Envelope e;
    if (ok) {
      e.mutable_ack()->set_request_id(requestId);
    } else {
      e.mutable_nack()->set_request_id(requestId);
      e.mutable_nack()->set_detail(detail ? detail : "");
    }
    self(context).deliver(e);
  }

  static void send(void* context, const std::uint8_t* bytes, std::size_t size) {
    auto& codec = self(context);
    if (!bytes || size > kMaxCommandBytes) return codec.fail("the driver asked to send an invalid buffer");
    codec.pendingSend_.insert(codec.pendingSend_.end(), bytes, bytes + size);
  }

  static void log(void* context, tb_log_level level, const char* message) {
    auto& codec = self(context);
    const std::string text = codec.driver_.id.toStdString() + ": " + (message ? message : "");
    auto logger = core::logger(core::subsystem::kDevices);
    switch (level) {
      case TB_LOG_DEBUG: logger->debug(text); break;
      case TB_LOG_INFO: logger->info(text); break;
      case TB_LOG_WARN: logger->warn(text); break;
      default: logger->error(text); break;
    }
  }
};

PluginCodec::PluginCodec(const DriverRecord& driver, const std::string& settingsJson) : driver_(driver) {
  if (!driver.usable()) throw std::runtime_error("driver " + driver.id.toStdString() + " is not loaded");
  host_.struct_size = sizeof(tb_host);
  host_.context = this;
  host_.device_info = &Callbacks::deviceInfo;
  host_.emg_block = &Callbacks::emgBlock;
  host_.laser_status = &Callbacks::laserStatus;
  host_.fault = &Callbacks::fault;
  host_.reply = &Callbacks::reply;
  host_.send = &Callbacks::send;
  host_.log = &Callbacks::log;
  char error[256] = {};
  instance_ = driver.api->create(&host_, settingsJson.c_str(), error, sizeof error);
  if (!instance_) {
    throw std::runtime_error("driver " + driver.id.toStdString() + " refused to start: " +
                             (error[0] ? std::string(error) : std::string("no reason given")));
  }
}

PluginCodec::~PluginCodec() {
  if (instance_) driver_.api->destroy(instance_);
}

void PluginCodec::fail(std::string reason) {
  if (!failure_) failure_ = driver_.id.toStdString() + ": " + std::move(reason);
}

void PluginCodec::check(tb_status status, const char* call) {
  if (status == TB_OK || status == TB_UNSUPPORTED) return;
  if (status == TB_ERROR) return fail(std::string("reported an error in ") + call + "()");
  fail(std::string("returned an unknown status from ") + call + "()");
}

void PluginCodec::deliver(const proto::Envelope& message) {
  if (failure_) return;
  ++stats_.frames;
  if (sink_) (*sink_)(message);
}

bool PluginCodec::callWithBuffer(const char* what, std::vector<std::uint8_t>& out,
                                 const std::function<tb_status(std::uint8_t*, std::size_t, std::size_t*)>& call) {
  std::uint8_t buffer[kMaxCommandBytes];
  std::size_t written = 0;
  const tb_status status = call(buffer, sizeof buffer, &written);
  if (status == TB_UNSUPPORTED) return false;
  if (status == TB_BUFFER_TOO_SMALL) {
    fail(std::string(what) + "() needs more than 4096 bytes");
    return false;
  }
  check(status, what);
  if (failure_) return false;
  if (written > sizeof buffer) {
    fail(std::string(what) + "() claimed to write more than the buffer holds");
    return false;
  }
  out.insert(out.end(), buffer, buffer + written);
  return true;
}

std::vector<std::uint8_t> PluginCodec::openingBytes(std::uint32_t helloRequestId) {
  helloRequestId_ = helloRequestId;
  std::vector<std::uint8_t> out;
  callWithBuffer("start", out, [&](std::uint8_t* b, std::size_t c, std::size_t* w) {
    return driver_.api->start(instance_, b, c, w);
  });
  return out;
}

void PluginCodec::decode(std::span<const std::uint8_t> bytes, const MessageSink& sink) {
  if (failure_) return;
  sink_ = &sink;
  check(driver_.api->receive(instance_, bytes.data(), bytes.size()), "receive");
  sink_ = nullptr;
}

void PluginCodec::tick(std::int64_t nowUs, const MessageSink& sink) {
  if (failure_) return;
  sink_ = &sink;
  check(driver_.api->tick(instance_, static_cast<std::uint64_t>(nowUs)), "tick");
  sink_ = nullptr;
}

std::vector<std::uint8_t> PluginCodec::takeBytesToSend() {
  std::vector<std::uint8_t> out;
  out.swap(pendingSend_);
  return out;
}

void PluginCodec::reset() {
  lastDeviceSequence_.reset();
  pendingSend_.clear();
}

bool PluginCodec::encode(const proto::Envelope& command, std::vector<std::uint8_t>& out) {
  tb_command c{};
  if (command.has_laser_command()) {
    const auto& l = command.laser_command();
    c.request_id = l.request_id();
    switch (l.command_case()) {
      case proto::LaserCommand::kEmissionOff: c.kind = TB_CMD_EMISSION_OFF; break;
      case proto::LaserCommand::kKeepAlive: c.kind = TB_CMD_KEEP_ALIVE; break;
      case proto::LaserCommand::kArm: c.kind = TB_CMD_ARM; c.arg0 = l.arm().armed() ? 1 : 0; break;
      case proto::LaserCommand::kEmitOn: c.kind = TB_CMD_EMIT_ON; c.arg0 = l.emit_on().max_duration_ms(); break;
      case proto::LaserCommand::kSetWavelength: c.kind = TB_CMD_SET_WAVELENGTH; c.arg0 = l.set_wavelength().wavelength_nm(); break;
      case proto::LaserCommand::kSetPower: c.kind = TB_CMD_SET_POWER; c.arg0 = l.set_power().power_mw(); break;
      case proto::LaserCommand::kSetMode: c.kind = TB_CMD_SET_MODE; c.arg0 = static_cast<std::uint32_t>(l.set_mode().mode()); break;
      case proto::LaserCommand::kSetFrequency: c.kind = TB_CMD_SET_FREQUENCY; c.arg0 = l.set_frequency().frequency_hz(); break;
      case proto::LaserCommand::kSetDuty: c.kind = TB_CMD_SET_DUTY; c.arg0 = l.set_duty().duty_permille(); break;
      default: return false;
    }
  } else if (command.has_emg_command()) {
    const auto& m = command.emg_command();
    c.request_id = m.request_id();
    if (m.has_start()) {
      c.kind = TB_CMD_EMG_START;
      c.arg0 = m.start().sample_rate_hz();
      c.arg1 = m.start().channel_count();
    } else if (m.has_stop()) {
      c.kind = TB_CMD_EMG_STOP;
    } else {
      return false;
    }
  } else {
    return false;  // Hello is the driver's own start(); nothing else is a command
  }
  return callWithBuffer("encode", out, [&](std::uint8_t* b, std::size_t cap, std::size_t* w) {
    return driver_.api->encode(instance_, &c, b, cap, w);
  });
}

}  // namespace tautband::devices
