#pragma once

#include "devices/link/DeviceCodec.h"
#include "tautband/protocols/Framing.h"

namespace tautband::devices {

// The Tautband native protocol (docs/PROTOCOL.md): protobuf Envelopes in
// COBS + CRC-32C frames. Every frame the host sends starts with a 0x00, so a
// device decoder left mid-frame by an interrupted write resynchronises before
// each command (the device counts those as empty frames and ignores them).
class NativeCodec final : public DeviceCodec {
 public:
  std::vector<std::uint8_t> openingBytes(std::uint32_t helloRequestId) override;
  void decode(std::span<const std::uint8_t> bytes, const MessageSink& sink) override;
  bool encode(const proto::Envelope& command, std::vector<std::uint8_t>& out) override;
  void reset() override { decoder_.reset(); }
  CodecStats stats() const override;

 private:
  protocols::FrameDecoder decoder_;
  proto::Envelope message_;  // reused: parsing into it keeps its buffers
  std::uint64_t parseErrors_ = 0;
};

}  // namespace tautband::devices
