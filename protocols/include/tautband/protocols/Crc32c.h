#pragma once

// CRC-32C (Castagnoli), the checksum of every native-protocol frame.
// Parameters (docs/PROTOCOL.md §3): reflected polynomial 0x82F63B78,
// initial value 0xFFFFFFFF, final XOR 0xFFFFFFFF, input and output reflected.
// Check value: crc32c("123456789") == 0xE3069283.

#include <cstdint>
#include <span>

namespace tautband::protocols {

inline constexpr std::uint32_t kCrc32cPolynomialReflected = 0x82F63B78u;
inline constexpr std::uint32_t kCrc32cCheckValue = 0xE3069283u;

// CRC-32C of a whole buffer.
std::uint32_t crc32c(std::span<const std::uint8_t> data);

// Incremental form: state starts at 0xFFFFFFFF, feed chunks, XOR with
// 0xFFFFFFFF at the end. crc32c(d) == crc32cUpdate(0xFFFFFFFF, d) ^ 0xFFFFFFFF.
std::uint32_t crc32cUpdate(std::uint32_t state, std::span<const std::uint8_t> data);

}  // namespace tautband::protocols
