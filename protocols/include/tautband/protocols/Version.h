#pragma once

// The native protocol's version (protocols/tautband/device.proto header).
// The host sends Hello first and refuses a device whose major differs.

#include <cstdint>

namespace tautband::protocols {

struct ProtocolVersionNumber {
  std::uint32_t major = 0;
  std::uint32_t minor = 0;
};

inline constexpr ProtocolVersionNumber kProtocolVersion{1, 0};

// Timing every peer keeps (docs/PROTOCOL.md §8).
inline constexpr int kStatusIntervalMs = 50;       // LaserStatus period
inline constexpr int kKeepAliveIntervalMs = 50;    // host keep-alives while armed/emitting
inline constexpr int kFirmwareWatchdogMs = 300;    // no keep-alive for this long -> emission off
inline constexpr int kHelloReplyTimeoutMs = 2000;  // DeviceInfo must answer Hello within this

constexpr bool isCompatible(ProtocolVersionNumber ours, ProtocolVersionNumber theirs) {
  return ours.major == theirs.major;
}

}  // namespace tautband::protocols
