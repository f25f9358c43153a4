// Driver plugin for the Tautband native protocol (docs/PROTOCOL.md):
// protobuf Envelopes in COBS + CRC-32C frames, mapped to and from the
// driver ABI's events and commands.
#include "tautband/driver.hpp"
#include "tautband/protocols/Framing.h"
#include "tautband/protocols/Version.h"
#include "tautband_plugin/native_device.pb.h"

#include <string>
#include <vector>

namespace {

namespace pb = ::tautband::device::plugin::v1;
namespace protocols = ::tautband::protocols;

constexpr const char* kManifest = R"json({
  "id": "tautband.native",
  "vendor": "Tautband",
  "name": "Tautband native protocol (laser and EMG)",
  "version": "1.0.0",
  "protocol": "tautband-native 1.0",
  "kinds": ["laser", "emg"],
  "transports": [
    {"type": "serial", "baud": 115200},
    {"type": "ble", "service_uuid": "6E400001-B5A3-F393-E0A9-E50E24DCCA9E"}
  ],
  "match": {"usb": [], "bt_name": "^Tautband"},
  "firmware_watchdog": true,
  "patient_isolation": "device",
  "rate_caps": {"max_sample_rate_hz": 48000, "max_channels": 16},
  "settings": []
})json";

constexpr std::uint32_t kHelloRequestId = 0x7A000001u;

class NativeDriver final : public tautband::sdk::Driver {
 public:
  NativeDriver(const tb_host& host, const std::string&) : Driver(host) {}

  tb_status start(std::vector<std::uint8_t>& out) override {
    decoder_.reset();
    pb::Envelope hello;
    hello.mutable_hello()->set_request_id(kHelloRequestId);
    hello.mutable_hello()->mutable_protocol()->set_major(protocols::kProtocolVersion.major);
    hello.mutable_hello()->mutable_protocol()->set_minor(protocols::kProtocolVersion.minor);
    hello.mutable_hello()->set_host_name("tautband native driver plugin");
    return frame(hello, out) ? TB_OK : TB_ERROR;
  }

  tb_status receive(const std::uint8_t* bytes, std::size_t size) override {
    decoder_.feed(std::span<const std::uint8_t>(bytes, size), [this](std::span<const std::uint8_t> payload) {
      if (!message_.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
        log(TB_LOG_DEBUG, "dropped an unparsable envelope");
        return;
      }
      dispatch(message_);
    });
    return TB_OK;
  }

  tb_status encode(const tb_command& command, std::vector<std::uint8_t>& out) override {
    pb::Envelope e;
    if (command.kind == TB_CMD_EMG_START || command.kind == TB_CMD_EMG_STOP) {
      auto* emg = e.mutable_emg_command();
      emg->set_request_id(command.request_id);
      if (command.kind == TB_CMD_EMG_START) {
        emg->mutable_start()->set_sample_rate_hz(command.arg0);
        emg->mutable_start()->set_channel_count(command.arg1);
      } else {
        emg->mutable_stop();
      }
      return frame(e, out) ? TB_OK : TB_ERROR;
    }
    auto* laser = e.mutable_laser_command();
    laser->set_request_id(command.request_id);
    switch (command.kind) {
      case TB_CMD_EMISSION_OFF: laser->mutable_emission_off(); break;
      case TB_CMD_KEEP_ALIVE: laser->mutable_keep_alive(); break;
      case TB_CMD_ARM: laser->mutable_arm()->set_armed(command.arg0 != 0); break;
      case TB_CMD_EMIT_ON: laser->mutable_emit_on()->set_max_duration_ms(command.arg0); break;
      case TB_CMD_SET_WAVELENGTH: laser->mutable_set_wavelength()->set_wavelength_nm(command.arg0); break;
      case TB_CMD_SET_POWER: laser->mutable_set_power()->set_power_mw(command.arg0); break;
      case TB_CMD_SET_MODE: laser->mutable_set_mode()->set_mode(static_cast<pb::LaserMode>(command.arg0)); break;
      case TB_CMD_SET_FREQUENCY: laser->mutable_set_frequency()->set_frequency_hz(command.arg0); break;
      case TB_CMD_SET_DUTY: laser->mutable_set_duty()->set_duty_permille(command.arg0); break;
      default: return TB_UNSUPPORTED;
    }
    return frame(e, out) ? TB_OK : TB_ERROR;
  }

 private:
  // A leading 0x00 before every frame: a device decoder left mid-frame by an
  // interrupted write resynchronises before each command.
  static bool frame(const pb::Envelope& e, std::vector<std::uint8_t>& out) {
    std::string payload;
    if (!e.SerializeToString(&payload) || payload.size() > protocols::kMaxPayloadBytes) return false;
    protocols::appendSyncByte(out);
    protocols::appendFrame(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(payload.data()),
                                                         payload.size()),
                           out);
    return true;
  }

  void dispatch(const pb::Envelope& e) {
    switch (e.body_case()) {
      case pb::Envelope::kDeviceInfo: return onDeviceInfo(e.device_info());
      case pb::Envelope::kEmgFrame: return onEmgFrame(e.emg_frame());
      case pb::Envelope::kLaserStatus: return onLaserStatus(e.laser_status());
      case pb::Envelope::kFault: return fault(static_cast<std::uint32_t>(e.fault().code()), e.fault().active(), e.fault().detail());
      case pb::Envelope::kAck: return reply(e.ack().request_id(), true);
      case pb::Envelope::kNack: return reply(e.nack().request_id(), false, e.nack().detail());
      default: return;
    }
  }

  void onDeviceInfo(const pb::DeviceInfo& d) {
    if (d.request_id() != kHelloRequestId) return;
    if (d.protocol().major() != protocols::kProtocolVersion.major) {
      log(TB_LOG_ERROR, "device speaks native protocol major " + std::to_string(d.protocol().major()));
      fault(9 /* FAULT_CODE_PROTOCOL */, true, "protocol major differs");
      return;
    }
    std::vector<tb_laser_source> sources;
    for (const auto& s : d.laser().sources()) {
      std::uint32_t modes = 0;
      for (int m : s.modes()) modes |= 1u << m;
      sources.push_back({s.wavelength_nm(), modes, s.max_power_mw()});
    }
    microvoltsPerUnit_ = d.emg().microvolts_per_unit() > 0 ? d.emg().microvolts_per_unit() : 1.0;
    tb_device_info info{};
    info.vendor = d.vendor().c_str();
    info.model = d.model().c_str();
    info.serial = d.serial().c_str();
    info.firmware = d.firmware().c_str();
    info.sources = sources.data();
    info.source_count = static_cast<std::uint32_t>(sources.size());
    info.firmware_watchdog = d.laser().firmware_watchdog() ? 1 : 0;
    info.watchdog_timeout_ms = d.laser().watchdog_timeout_ms();
    info.channels = d.has_emg() ? d.emg().channels() : 0;
    info.sample_rate_hz = d.emg().sample_rates_hz_size() ? d.emg().sample_rates_hz(d.emg().sample_rates_hz_size() - 1) : 0;
    info.resolution_bits = d.emg().resolution_bits();
    info.applied_part = static_cast<tb_applied_part>(d.emg().applied_part());
    deviceInfo(info);
  }

  void onEmgFrame(const pb::EmgFrame& f) {
    if (f.channel_count() == 0 || f.samples_size() == 0 || f.samples_size() % static_cast<int>(f.channel_count()) != 0) {
      return;
    }
    samples_.resize(static_cast<std::size_t>(f.samples_size()));
    for (int i = 0; i < f.samples_size(); ++i) samples_[static_cast<std::size_t>(i)] = static_cast<float>(f.samples(i) * microvoltsPerUnit_);
    tb_emg_block block{};
    block.sequence = f.sequence();
    block.sequence_modulus = 0;
    block.channel_count = f.channel_count();
    block.sample_count = static_cast<std::uint32_t>(f.samples_size()) / f.channel_count();
    block.sample_rate_hz = f.sample_rate_hz();
    block.device_time_us = f.device_time_us();
    block.samples_uv = samples_.data();
    emgBlock(block);
  }

  void onLaserStatus(const pb::LaserStatus& s) {
    faults_.assign(s.faults().begin(), s.faults().end());
    tb_laser_status status{};
    status.emission = s.emission() >= 1 && s.emission() <= 4 ? static_cast<tb_emission_state>(s.emission()) : TB_EMISSION_FAULT;
    status.measured_power_mw = s.measured_power_mw();
    status.interlock_closed = s.interlock_closed() ? 1 : 0;
    status.key_on = s.key_on() ? 1 : 0;
    status.temperature_c = s.temperature_c();
    status.fault_count = static_cast<std::uint32_t>(faults_.size());
    status.fault_codes = faults_.data();
    status.wavelength_nm = s.wavelength_nm();
    status.set_power_mw = s.set_power_mw();
    laserStatus(status);
  }

  protocols::FrameDecoder decoder_;
  pb::Envelope message_;
  double microvoltsPerUnit_ = 1.0;
  std::vector<float> samples_;
  std::vector<std::uint32_t> faults_;
};

}  // namespace

TAUTBAND_DRIVER(NativeDriver, kManifest)
