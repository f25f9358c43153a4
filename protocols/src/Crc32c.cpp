#include "tautband/protocols/Crc32c.h"

#include <array>

namespace tautband::protocols {
namespace {

// Slice-by-8 tables: table[0] is the classic byte-wise table (the one
// docs/PROTOCOL.md shows for MCUs); table[k][b] is the CRC of byte b
// followed by k zero bytes, which lets the loop fold 8 bytes at once.
using Tables = std::array<std::array<std::uint32_t, 256>, 8>;

constexpr Tables makeTables() {
  Tables t{};
  for (std::uint32_t b = 0; b < 256; ++b) {
    std::uint32_t crc = b;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 1u) ? (crc >> 1) ^ kCrc32cPolynomialReflected : crc >> 1;
    }
    t[0][b] = crc;
  }
  for (std::size_t k = 1; k < 8; ++k) {
    for (std::size_t b = 0; b < 256; ++b) {
      const std::uint32_t prev = t[k - 1][b];
      t[k][b] = (prev >> 8) ^ t[0][prev & 0xFFu];
    }
  }
  return t;
}

constexpr Tables kTables = makeTables();

static_assert(kTables[0][1] == 0xF26B8303u, "CRC-32C table entry 1");
static_assert(kTables[0][128] == 0x82F63B78u, "CRC-32C table entry 128 is the polynomial");

}  // namespace

std::uint32_t crc32cUpdate(std::uint32_t state, std::span<const std::uint8_t> data) {
  const std::uint8_t* p = data.data();
  std::size_t n = data.size();
  std::uint32_t crc = state;
  while (n >= 8) {
    // Little-endian assembly by hand keeps this independent of host byte order.
    const std::uint32_t lo =
        crc ^ (static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
               static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24);
    crc = kTables[7][lo & 0xFFu] ^ kTables[6][(lo >> 8) & 0xFFu] ^ kTables[5][(lo >> 16) & 0xFFu] ^
          kTables[4][lo >> 24] ^ kTables[3][p[4]] ^ kTables[2][p[5]] ^ kTables[1][p[6]] ^ kTables[0][p[7]];
    p += 8;
    n -= 8;
  }
  while (n-- > 0) {
    crc = (crc >> 8) ^ kTables[0][(crc ^ *p++) & 0xFFu];
  }
  return crc;
}

std::uint32_t crc32c(std::span<const std::uint8_t> data) {
  return crc32cUpdate(0xFFFFFFFFu, data) ^ 0xFFFFFFFFu;
}

}  // namespace tautband::protocols
