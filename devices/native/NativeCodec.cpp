#include "devices/native/NativeCodec.h"

#include "core/BuildInfo.h"
#include "tautband/protocols/Envelope.h"

namespace tautband::devices {

std::vector<std::uint8_t> NativeCodec::openingBytes(std::uint32_t helloRequestId) {
  proto::Envelope hello;
  auto* body = hello.mutable_hello();
  body->set_request_id(helloRequestId);
  *body->mutable_protocol() = protocols::currentProtocolVersion();
  body->set_host_name(std::string("tautband ") + core::kVersion);
  std::vector<std::uint8_t> bytes;
  encode(hello, bytes);
  return bytes;
}

void NativeCodec::decode(std::span<const std::uint8_t> bytes, const MessageSink& sink) {
  decoder_.feed(bytes, [&](std::span<const std::uint8_t> payload) {
    if (protocols::parseEnvelope(payload, message_)) {
      ++parseErrors_;
      return;
    }
    sink(message_);
  });
}

bool NativeCodec::encode(const proto::Envelope& command, std::vector<std::uint8_t>& out) {
  const auto start = out.size();
  protocols::appendSyncByte(out);
  if (!protocols::appendEnvelopeFrame(command, out)) {
    out.resize(start);
    return false;
  }
  return true;
}

CodecStats NativeCodec::stats() const {
  const auto& s = decoder_.stats();
  return {s.frames - parseErrors_, s.crcErrors, s.cobsErrors, s.tooShort + s.oversize + parseErrors_};
}

}  // namespace tautband::devices
