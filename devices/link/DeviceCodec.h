#pragma once

#include "tautband/device.pb.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <span>
#include <vector>

namespace tautband::devices {

namespace proto = ::tautband::device::v1;

struct CodecStats {
  std::uint64_t frames = 0;
  std::uint64_t crcErrors = 0;
  std::uint64_t cobsErrors = 0;
  std::uint64_t otherErrors = 0;  // too short, oversize, unparsable or unknown message
};

// Turns a device's bytes into typed messages (protocols/tautband/device.proto)
// and typed commands into bytes. A pure codec and state machine: it never
// touches a port, a thread or a clock of its own; the link calls it on its
// codec thread. Driver plugins implement this through the SDK's C ABI.
class DeviceCodec {
 public:
  using MessageSink = std::function<void(const proto::Envelope&)>;

  virtual ~DeviceCodec() = default;

  // Bytes to write right after the port opens: sync and identification
  // request. The device's answer arrives as a DeviceInfo message carrying
  // helloRequestId.
  virtual std::vector<std::uint8_t> openingBytes(std::uint32_t helloRequestId) = 0;

  // Decodes bytes in any chunking; calls sink for each complete message. The
  // message is only valid during the call.
  virtual void decode(std::span<const std::uint8_t> bytes, const MessageSink& sink) = 0;

  // Encodes one command (LaserCommand, EmgCommand, Hello). Returns false
  // when this device has no such command.
  virtual bool encode(const proto::Envelope& command, std::vector<std::uint8_t>& out) = 0;

  // Drops any partial input, e.g. after a reconnect.
  virtual void reset() = 0;

  virtual CodecStats stats() const = 0;

  // Called about every 10 ms on the codec thread (polling drivers use it).
  virtual void tick(std::int64_t /*nowUs*/, const MessageSink& /*sink*/) {}

  // Bytes the codec wants sent after decode() or tick() (polls, follow-up
  // queries); the link writes them in order.
  virtual std::vector<std::uint8_t> takeBytesToSend() { return {}; }

  // Set once the codec can no longer be trusted (a plugin threw, returned
  // an error or garbage); the link then stops emission and fails.
  virtual std::optional<std::string> failure() const { return std::nullopt; }
};

}  // namespace tautband::devices
