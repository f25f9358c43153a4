#include "tautband/protocols/Cobs.h"

namespace tautband::protocols {

void cobsEncode(std::span<const std::uint8_t> data, std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  out.resize(start + cobsMaxEncodedSize(data.size()));
  std::uint8_t* dst = out.data() + start;
  std::uint8_t* code = dst++;  // where the current block's code byte goes
  std::uint8_t run = 1;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const std::uint8_t b = data[i];
    if (b == 0) {
      *code = run;
      code = dst++;
      run = 1;
      continue;
    }
    *dst++ = b;
    if (++run == 0xFF) {
      *code = run;
      run = 1;
      // A full block ends; start another only if more data follows.
      if (i + 1 < data.size())
        code = dst++;
      else
        code = nullptr;
    }
  }
  if (code != nullptr) *code = run;
  out.resize(static_cast<std::size_t>(dst - out.data()));
}

std::optional<std::vector<std::uint8_t>> cobsDecode(std::span<const std::uint8_t> encoded) {
  if (encoded.empty()) return std::nullopt;
  std::vector<std::uint8_t> out;
  out.reserve(encoded.size());
  std::size_t i = 0;
  while (i < encoded.size()) {
    const std::uint8_t code = encoded[i++];
    if (code == 0) return std::nullopt;
    for (std::uint8_t k = 1; k < code; ++k) {
      if (i >= encoded.size() || encoded[i] == 0) return std::nullopt;
      out.push_back(encoded[i++]);
    }
    if (code != 0xFF && i < encoded.size()) out.push_back(0);
  }
  return out;
}

}  // namespace tautband::protocols
