// Example Tautband driver: a laser diode source with SCPI-like text
// commands (Arroyo style). It shows the parts every driver has:
//   - a manifest that declares the device honestly (no firmware watchdog),
//   - start(): the identification request,
//   - receive(): parsing replies in any chunking, emitting typed events,
//   - tick(): polling the device's condition register for status,
//   - encode(): commands, with emission-off stateless so the host can keep
//     its bytes for the safety thread.
#include <tautband/driver.hpp>

#include <cstdlib>
#include <string>
#include <vector>

namespace {

constexpr const char* kManifest = R"json({
  "id": "example.laser",
  "vendor": "Example Lasers Ltd",
  "name": "Example SCPI laser diode source",
  "version": "0.1.0",
  "kinds": ["laser"],
  "transports": [{"type": "serial", "baud": 38400}],
  "match": {"usb": []},
  "firmware_watchdog": false,
  "settings": [
    {"key": "max_power_mw", "type": "int", "min": 1, "max": 500, "default": 200, "unit": "mW",
     "label": "Maximum optical power"}
  ]
})json";

constexpr std::uint32_t kCondOutputOn = 1u << 10;
constexpr std::uint32_t kCondInterlockOpen = 1u << 4;

class ExampleLaser final : public tautband::sdk::Driver {
 public:
  ExampleLaser(const tb_host& host, const std::string& /*settingsJson*/) : Driver(host) {}

  tb_status start(std::vector<std::uint8_t>& out) override {
    identified_ = false;
    awaiting_ = Awaiting::Identity;
    append(out, "*IDN?\r\n");
    return TB_OK;
  }

  tb_status receive(const std::uint8_t* bytes, std::size_t size) override {
    line_.append(reinterpret_cast<const char*>(bytes), size);
    if (line_.size() > 4096) line_.clear();  // no sane reply is this long: resynchronise
    std::size_t end;
    while ((end = line_.find('\n')) != std::string::npos) {
      std::string reply = line_.substr(0, end);
      line_.erase(0, end + 1);
      if (!reply.empty() && reply.back() == '\r') reply.pop_back();
      handle(reply);
    }
    return TB_OK;
  }

  tb_status tick(std::uint64_t nowUs) override {
    // Poll the condition register every 50 ms; one query in flight at a time.
    if (identified_ && awaiting_ == Awaiting::Nothing && nowUs - lastPollUs_ >= 50'000) {
      lastPollUs_ = nowUs;
      awaiting_ = Awaiting::Condition;
      send(std::string("LAS:COND?\r\n"));
    }
    return TB_OK;
  }

  tb_status encode(const tb_command& command, std::vector<std::uint8_t>& out) override {
    switch (command.kind) {
      case TB_CMD_EMISSION_OFF: append(out, "LAS:OUT 0\r\n"); return TB_OK;  // stateless, always the same bytes
      case TB_CMD_EMIT_ON: append(out, "LAS:OUT 1\r\n"); return TB_OK;
      default: return TB_UNSUPPORTED;  // no keep-alive: this device has no watchdog
    }
  }

 private:
  enum class Awaiting { Nothing, Identity, Condition };

  static void append(std::vector<std::uint8_t>& out, const char* text) {
    for (const char* p = text; *p; ++p) out.push_back(static_cast<std::uint8_t>(*p));
  }

  void handle(const std::string& reply) {
    if (awaiting_ == Awaiting::Identity) {
      // "<vendor>,<model>,<serial>,<firmware>"
      std::vector<std::string> fields;
      std::size_t start = 0, comma;
      while ((comma = reply.find(',', start)) != std::string::npos) {
        fields.push_back(reply.substr(start, comma - start));
        start = comma + 1;
      }
      fields.push_back(reply.substr(start));
      if (fields.size() < 4) return;  // not the identity yet; keep waiting
      tb_laser_source source{808, 1u << TB_LASER_CW, 200};
      tb_device_info info{};
      info.vendor = fields[0].c_str();
      info.model = fields[1].c_str();
      info.serial = fields[2].c_str();
      info.firmware = fields[3].c_str();
      info.sources = &source;
      info.source_count = 1;
      info.firmware_watchdog = 0;
      deviceInfo(info);
      identified_ = true;
      awaiting_ = Awaiting::Nothing;
      return;
    }
    if (awaiting_ == Awaiting::Condition) {
      awaiting_ = Awaiting::Nothing;
      char* end = nullptr;
      const unsigned long cond = std::strtoul(reply.c_str(), &end, 10);
      if (end == reply.c_str()) return;  // not a number: ignore
      tb_laser_status status{};
      status.emission = (cond & kCondOutputOn) ? TB_EMISSION_EMITTING : TB_EMISSION_OFF;
      status.measured_power_mw = -1.f;  // this example has no calibration table
      status.interlock_closed = (cond & kCondInterlockOpen) ? 0 : 1;
      status.key_on = 1;
      status.temperature_c = 25.f;
      status.wavelength_nm = 808;
      laserStatus(status);
    }
  }

  std::string line_;
  bool identified_ = false;
  Awaiting awaiting_ = Awaiting::Nothing;
  std::uint64_t lastPollUs_ = 0;
};

}  // namespace

TAUTBAND_DRIVER(ExampleLaser, kManifest)
