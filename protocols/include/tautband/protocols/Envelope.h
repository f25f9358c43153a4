#pragma once

// Envelope <-> frame helpers (library tautband_protocol_messages).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tautband/device.pb.h"
#include "tautband/protocols/Framing.h"
#include "tautband/protocols/Version.h"

namespace tautband::protocols {

// Serialises envelope and appends one frame (no sync byte) to out. Returns
// false, leaving out unchanged, when the envelope exceeds kMaxPayloadBytes
// or has no body. Uses no heap memory besides out's growth.
bool appendEnvelopeFrame(const ::tautband::device::v1::Envelope& envelope, std::vector<std::uint8_t>& out);

// Parses a frame payload (CRC already checked by FrameDecoder) into out.
// Returns nullopt on success, else a one-line reason (and out is left
// empty). Beyond protobuf syntax
// it rejects an envelope with no known body and an EmgFrame whose sample
// count is not a multiple of a channel_count in 1..kMaxEmgChannels, so
// downstream code never divides by zero or reads past a sample row.
std::optional<std::string> parseEnvelope(std::span<const std::uint8_t> payload,
                                         ::tautband::device::v1::Envelope& out);

inline constexpr std::uint32_t kMaxEmgChannels = 64;

// Convenience for Hello/DeviceInfo.
inline ::tautband::device::v1::ProtocolVersion currentProtocolVersion() {
  ::tautband::device::v1::ProtocolVersion v;
  v.set_major(kProtocolVersion.major);
  v.set_minor(kProtocolVersion.minor);
  return v;
}

// Human-readable body name ("laser_command", ...), "none" when unset.
const char* bodyName(const ::tautband::device::v1::Envelope& envelope);

}  // namespace tautband::protocols
