#include "tautband/protocols/Envelope.h"

#include <array>
#include <limits>

namespace tautband::protocols {

namespace pb = ::tautband::device::v1;

namespace {

// Checks that keep downstream code safe (no division by zero, no partial
// sample rows); protobuf itself only checks syntax.
std::optional<std::string> checkSemantics(const pb::Envelope& envelope) {
  if (envelope.has_emg_frame()) {
    const auto& frame = envelope.emg_frame();
    if (frame.channel_count() == 0 || frame.channel_count() > kMaxEmgChannels) {
      return "EmgFrame channel_count " + std::to_string(frame.channel_count()) + " outside 1.." +
             std::to_string(kMaxEmgChannels);
    }
    if (static_cast<std::uint32_t>(frame.samples_size()) % frame.channel_count() != 0) {
      return "EmgFrame has " + std::to_string(frame.samples_size()) + " samples, not a multiple of " +
             std::to_string(frame.channel_count()) + " channels";
    }
  }
  return std::nullopt;
}

}  // namespace

bool appendEnvelopeFrame(const pb::Envelope& envelope, std::vector<std::uint8_t>& out) {
  if (envelope.body_case() == pb::Envelope::BODY_NOT_SET) return false;
  const std::size_t size = envelope.ByteSizeLong();
  if (size > kMaxPayloadBytes) return false;
  // Serialise on the stack: the safety thread calls this and must not
  // depend on the heap for anything but out's growth.
  std::array<std::uint8_t, kMaxPayloadBytes> scratch;
  envelope.SerializeWithCachedSizesToArray(scratch.data());
  appendFrame(std::span<const std::uint8_t>(scratch.data(), size), out);
  return true;
}

std::optional<std::string> parseEnvelope(std::span<const std::uint8_t> payload, pb::Envelope& out) {
  out.Clear();
  if (payload.size() > kMaxPayloadBytes) {
    return "envelope of " + std::to_string(payload.size()) + " bytes exceeds the " +
           std::to_string(kMaxPayloadBytes) + "-byte limit";
  }
  if (!out.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    out.Clear();
    return "envelope of " + std::to_string(payload.size()) + " bytes is not valid protobuf";
  }
  if (out.body_case() == pb::Envelope::BODY_NOT_SET) {
    out.Clear();
    return "envelope carries no message this host knows (empty or newer protocol)";
  }
  if (auto problem = checkSemantics(out)) {
    out.Clear();
    return problem;
  }
  return std::nullopt;
}

const char* bodyName(const pb::Envelope& envelope) {
  switch (envelope.body_case()) {
    case pb::Envelope::kHello:
      return "hello";
    case pb::Envelope::kDeviceInfo:
      return "device_info";
    case pb::Envelope::kEmgFrame:
      return "emg_frame";
    case pb::Envelope::kEmgCommand:
      return "emg_command";
    case pb::Envelope::kLaserCommand:
      return "laser_command";
    case pb::Envelope::kLaserStatus:
      return "laser_status";
    case pb::Envelope::kFault:
      return "fault";
    case pb::Envelope::kAck:
      return "ack";
    case pb::Envelope::kNack:
      return "nack";
    case pb::Envelope::BODY_NOT_SET:
      break;
  }
  return "none";
}

}  // namespace tautband::protocols
