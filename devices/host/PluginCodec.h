#pragma once

#include "devices/host/DriverCatalog.h"
#include "devices/link/DeviceCodec.h"

#include <memory>
#include <string>

namespace tautband::devices {

// The host side of the driver ABI: a DeviceCodec that forwards to one
// plugin instance and turns its C events into typed messages. Everything the
// plugin hands over is checked; an error status, an impossible event or a
// thrown exception marks the codec failed, and the link then stops emission
// and disconnects. EMG samples arrive as µV floats and travel on as
// EmgFrames of 0.01 µV units (DeviceInfo says so).
class PluginCodec final : public DeviceCodec {
 public:
  static constexpr double kMicrovoltsPerUnit = 0.01;

  // Throws std::runtime_error with the plugin's reason when create() fails.
  PluginCodec(const DriverRecord& driver, const std::string& settingsJson);
  ~PluginCodec() override;

  std::vector<std::uint8_t> openingBytes(std::uint32_t helloRequestId) override;
  void decode(std::span<const std::uint8_t> bytes, const MessageSink& sink) override;
  bool encode(const proto::Envelope& command, std::vector<std::uint8_t>& out) override;
  void reset() override;
  CodecStats stats() const override { return stats_; }
  void tick(std::int64_t nowUs, const MessageSink& sink) override;
  std::vector<std::uint8_t> takeBytesToSend() override;
  std::optional<std::string> failure() const override { return failure_; }

 private:
  struct Callbacks;
  friend struct Callbacks;

  void check(tb_status status, const char* call);
  void fail(std::string reason);
  void deliver(const proto::Envelope& message);
  bool callWithBuffer(const char* what, std::vector<std::uint8_t>& out,
                      const std::function<tb_status(std::uint8_t*, std::size_t, std::size_t*)>& call);

  const DriverRecord& driver_;
  tb_host host_{};
  tb_driver* instance_ = nullptr;
  const MessageSink* sink_ = nullptr;
  std::vector<std::uint8_t> pendingSend_;
  std::optional<std::string> failure_;
  CodecStats stats_;
  std::uint32_t helloRequestId_ = 0;
  std::uint64_t emgSequence_ = 0;
  std::optional<std::uint64_t> lastDeviceSequence_;
  std::uint64_t statusSequence_ = 0;
  proto::Envelope scratch_;
};

}  // namespace tautband::devices
