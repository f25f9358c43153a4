// A test driver with a line protocol whose device can make it misbehave:
// "ID <serial>" identifies a laser; "THROW", "ERROR", "SLOW" and "JUNK" make
// the driver throw, report an error, block for 300 ms, or emit an
// impossible EMG block. Emission off encodes to "OFF\n".
#include "tautband/driver.hpp"

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

constexpr const char* kManifest = R"json({
  "id": "test.misbehaving", "vendor": "Test", "name": "Misbehaving test driver", "version": "0.0.1",
  "kinds": ["laser"], "transports": [{"type": "serial", "baud": 115200}], "firmware_watchdog": true
})json";

class Misbehaving final : public tautband::sdk::Driver {
 public:
  Misbehaving(const tb_host& host, const std::string&) : Driver(host) {}

  tb_status start(std::vector<std::uint8_t>& out) override {
    const std::string hello = "HELLO\n";
    out.assign(hello.begin(), hello.end());
    return TB_OK;
  }

  tb_status receive(const std::uint8_t* bytes, std::size_t size) override {
    line_.append(reinterpret_cast<const char*>(bytes), size);
    std::size_t newline;
    while ((newline = line_.find('\n')) != std::string::npos) {
      const std::string command = line_.substr(0, newline);
      line_.erase(0, newline + 1);
      if (command.rfind("ID ", 0) == 0) {
        serial_ = command.substr(3);
        tb_laser_source source{808, 1u << TB_LASER_CW, 500};
        tb_device_info info{};
        info.vendor = "Test";
        info.model = "Misbehaving laser";
        info.serial = serial_.c_str();
        info.firmware = "0";
        info.sources = &source;
        info.source_count = 1;
        info.firmware_watchdog = 1;
        info.watchdog_timeout_ms = 300;
        deviceInfo(info);
      } else if (command == "THROW") {
        throw std::runtime_error("decoder exploded");
      } else if (command == "ERROR") {
        return TB_ERROR;
      } else if (command == "SLOW") {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
      } else if (command == "JUNK") {
        tb_emg_block block{};
        block.channel_count = 0;  // impossible
        emgBlock(block);
      }
    }
    return TB_OK;
  }

  tb_status encode(const tb_command& command, std::vector<std::uint8_t>& out) override {
    std::string text;
    if (command.kind == TB_CMD_EMISSION_OFF) text = "OFF\n";
    else if (command.kind == TB_CMD_KEEP_ALIVE) text = "KA\n";
    else return TB_UNSUPPORTED;
    out.assign(text.begin(), text.end());
    return TB_OK;
  }

 private:
  std::string line_;
  std::string serial_;
};

}  // namespace

TAUTBAND_DRIVER(Misbehaving, kManifest)
