#pragma once

// Consistent Overhead Byte Stuffing (Cheshire & Baker), the byte-stuffing
// layer of native-protocol frames: the encoded bytes contain no 0x00, so 0x00
// can delimit frames. Rules as stated in docs/PROTOCOL.md §4.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace tautband::protocols {

// Exact worst-case COBS output size for n input bytes (no delimiter):
// one code byte per started 254-byte run, and at least one.
constexpr std::size_t cobsMaxEncodedSize(std::size_t n) {
  return n + (n == 0 ? 1 : (n + 253) / 254);
}

// Appends COBS(data) to out (no 0x00 delimiter). Never emits a trailing
// 0x01 block after a final full 0xFF block (decoders accept both forms).
void cobsEncode(std::span<const std::uint8_t> data, std::vector<std::uint8_t>& out);

// Decodes one COBS block sequence (no delimiter). Returns nullopt when the
// input is empty, contains 0x00 or ends inside a block.
std::optional<std::vector<std::uint8_t>> cobsDecode(std::span<const std::uint8_t> encoded);

}  // namespace tautband::protocols
