// Optional header-only C++ helper over tautband/driver.h (docs/DRIVER-SDK.md).
//
// Derive from tautband::sdk::Driver, then in ONE .cpp file:
//   TAUTBAND_DRIVER(MyDriver, kManifestJson)
// Every call from the host goes through a wrapper that catches any C++
// exception at the boundary and turns it into TB_ERROR (logged through the
// host), so no exception ever crosses into the host.
#ifndef TAUTBAND_DRIVER_HPP
#define TAUTBAND_DRIVER_HPP

#include <cstdint>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "tautband/driver.h"

namespace tautband::sdk {

class Driver {
 public:
  explicit Driver(const tb_host& host) : host_(host) {}
  virtual ~Driver() = default;

  // Bytes to send when the port opens (reset, identification request).
  virtual tb_status start(std::vector<std::uint8_t>& out) = 0;
  virtual tb_status receive(const std::uint8_t* bytes, std::size_t size) = 0;
  virtual tb_status tick(std::uint64_t /*nowUs*/) { return TB_OK; }
  virtual tb_status encode(const tb_command& command, std::vector<std::uint8_t>& out) = 0;

 protected:
  void deviceInfo(const tb_device_info& info) const { host_.device_info(host_.context, &info); }
  void emgBlock(const tb_emg_block& block) const { host_.emg_block(host_.context, &block); }
  void laserStatus(const tb_laser_status& status) const { host_.laser_status(host_.context, &status); }
  void fault(std::uint32_t code, bool active, const std::string& detail) const {
    host_.fault(host_.context, code, active ? 1 : 0, detail.c_str());
  }
  void reply(std::uint32_t requestId, bool ok, const std::string& detail = {}) const {
    host_.reply(host_.context, requestId, ok ? 1 : 0, detail.c_str());
  }
  void send(const std::vector<std::uint8_t>& bytes) const { host_.send(host_.context, bytes.data(), bytes.size()); }
  void send(const std::string& text) const {
    host_.send(host_.context, reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  }
  void log(tb_log_level level, const std::string& message) const { host_.log(host_.context, level, message.c_str()); }

 private:
  tb_host host_;
};

namespace detail {

inline void copyError(char* error, std::size_t size, const char* message) {
  if (!error || size == 0) return;
  std::strncpy(error, message, size - 1);
  error[size - 1] = '\0';
}

inline tb_status copyOut(const std::vector<std::uint8_t>& bytes, std::uint8_t* out, std::size_t capacity,
                         std::size_t* written) {
  *written = bytes.size();
  if (bytes.size() > capacity) return TB_BUFFER_TOO_SMALL;
  if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());
  return TB_OK;
}

struct Instance {
  Driver* driver;
  tb_host host;
};

template <class F>
tb_status guarded(tb_driver* handle, F&& body) noexcept {
  auto* instance = reinterpret_cast<Instance*>(handle);
  try {
    return body(*instance->driver);
  } catch (const std::exception& e) {
    instance->host.log(instance->host.context, TB_LOG_ERROR, (std::string("driver threw: ") + e.what()).c_str());
  } catch (...) {
    instance->host.log(instance->host.context, TB_LOG_ERROR, "driver threw a non-standard exception");
  }
  return TB_ERROR;
}

template <class D>
struct Table {
  static tb_driver* create(const tb_host* host, const char* settings, char* error, std::size_t errorSize) noexcept {
    try {
      auto* instance = new Instance{nullptr, *host};
      try {
        instance->driver = new D(*host, std::string(settings ? settings : "{}"));
      } catch (...) {
        delete instance;
        throw;
      }
      return reinterpret_cast<tb_driver*>(instance);
    } catch (const std::exception& e) {
      copyError(error, errorSize, e.what());
    } catch (...) {
      copyError(error, errorSize, "driver constructor threw");
    }
    return nullptr;
  }
  static void destroy(tb_driver* handle) noexcept {
    auto* instance = reinterpret_cast<Instance*>(handle);
    try {
      delete instance->driver;
    } catch (...) {
    }
    delete instance;
  }
  static tb_status start(tb_driver* h, std::uint8_t* out, std::size_t capacity, std::size_t* written) noexcept {
    return guarded(h, [&](Driver& d) {
      std::vector<std::uint8_t> bytes;
      const auto status = d.start(bytes);
      return status == TB_OK ? copyOut(bytes, out, capacity, written) : status;
    });
  }
  static tb_status receive(tb_driver* h, const std::uint8_t* bytes, std::size_t size) noexcept {
    return guarded(h, [&](Driver& d) { return d.receive(bytes, size); });
  }
  static tb_status tick(tb_driver* h, std::uint64_t nowUs) noexcept {
    return guarded(h, [&](Driver& d) { return d.tick(nowUs); });
  }
  static tb_status encode(tb_driver* h, const tb_command* command, std::uint8_t* out, std::size_t capacity,
                          std::size_t* written) noexcept {
    return guarded(h, [&](Driver& d) {
      std::vector<std::uint8_t> bytes;
      const auto status = d.encode(*command, bytes);
      return status == TB_OK ? copyOut(bytes, out, capacity, written) : status;
    });
  }
};

}  // namespace detail
}  // namespace tautband::sdk

// Defines the plugin's exported entry point for driver class D, whose
// constructor is D(const tb_host&, const std::string& settingsJson).
#define TAUTBAND_DRIVER(D, MANIFEST_JSON)                                                              \
  extern "C" TB_EXPORT const tb_driver_api* tautband_driver_entry(uint32_t, uint32_t) {                \
    static const tb_driver_api api = {TB_DRIVER_API_MAJOR,                                             \
                                      TB_DRIVER_API_MINOR,                                             \
                                      sizeof(tb_driver_api),                                           \
                                      MANIFEST_JSON,                                                   \
                                      &::tautband::sdk::detail::Table<D>::create,                      \
                                      &::tautband::sdk::detail::Table<D>::destroy,                     \
                                      &::tautband::sdk::detail::Table<D>::start,                       \
                                      &::tautband::sdk::detail::Table<D>::receive,                     \
                                      &::tautband::sdk::detail::Table<D>::tick,                        \
                                      &::tautband::sdk::detail::Table<D>::encode};                     \
    return &api;                                                                                       \
  }

#endif  // TAUTBAND_DRIVER_HPP
