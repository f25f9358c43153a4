#include "devices/sim/BitalinoFirmware.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

namespace tautband::devices::sim {
namespace {

constexpr std::array<std::uint32_t, 4> kRatesHz = {1, 10, 100, 1000};

}  // namespace

BitalinoFirmware::BitalinoFirmware(BitalinoFirmwareConfig config, EventSink events)
    : EmgBoardFirmware(config.signal, std::move(events)), config_(std::move(config)) {
  frame_.reserve(8);
}

std::uint8_t BitalinoFirmware::crc4(std::span<const std::uint8_t> frame) {
  // Long division by x^4 + x + 1 of the frame's nibbles (MSB first), the last
  // nibble (the CRC's own place) taken as 0: the remainder of M(x) * x^4.
  std::uint32_t reg = 0;
  auto shiftIn = [&](std::uint32_t nibble) {
    for (int bit = 3; bit >= 0; --bit) {
      reg = (reg << 1) | ((nibble >> bit) & 1);
      if (reg & 0x10) reg ^= 0x13;
    }
  };
  for (std::size_t i = 0; i < frame.size(); ++i) {
    shiftIn(frame[i] >> 4);
    shiftIn(i + 1 < frame.size() ? (frame[i] & 0x0F) : 0);
  }
  return static_cast<std::uint8_t>(reg);
}

void BitalinoFirmware::packFrame(std::uint8_t sequence, std::span<const std::uint16_t> a,
                                 std::vector<std::uint8_t>& out) {
  const std::size_t channels = a.size();
  const std::size_t n = channels + 2 + ((channels >= 3 && channels <= 5) ? 1 : 0);
  const std::size_t base = out.size();
  out.resize(base + n, 0);
  std::uint8_t* b = out.data() + base;
  auto at = [&](std::size_t fromEnd) -> std::uint8_t& { return b[n - fromEnd]; };
  at(1) = static_cast<std::uint8_t>((sequence & 0x0F) << 4);
  // Digital inputs/outputs (the high nibble of the second-to-last byte) stay 0.
  at(2) |= static_cast<std::uint8_t>((a[0] >> 6) & 0x0F);
  at(3) |= static_cast<std::uint8_t>((a[0] & 0x3F) << 2);
  if (channels > 1) {
    at(3) |= static_cast<std::uint8_t>((a[1] >> 8) & 0x03);
    at(4) |= static_cast<std::uint8_t>(a[1] & 0xFF);
  }
  if (channels > 2) {
    at(5) |= static_cast<std::uint8_t>((a[2] >> 2) & 0xFF);
    at(6) |= static_cast<std::uint8_t>((a[2] & 0x03) << 6);
  }
  if (channels > 3) {
    at(6) |= static_cast<std::uint8_t>((a[3] >> 4) & 0x3F);
    at(7) |= static_cast<std::uint8_t>((a[3] & 0x0F) << 4);
  }
  if (channels > 4) {
    at(7) |= static_cast<std::uint8_t>((a[4] >> 2) & 0x0F);
    at(8) |= static_cast<std::uint8_t>((a[4] & 0x03) << 6);
  }
  if (channels > 5) at(8) |= static_cast<std::uint8_t>(a[5] & 0x3F);
  at(1) |= crc4(std::span<const std::uint8_t>(b, n));
}

void BitalinoFirmware::onBytes(std::span<const std::uint8_t> bytes, const SimTime& time,
                               FirmwareOutput& out) {
  for (const auto b : bytes) {
    if (live_) {
      if (b == 0x00) {  // in live mode only "idle" is simulated
        live_ = false;
        report(QStringLiteral("stream"), {{"on", false}});
      }
      continue;
    }
    if (b == 0x07) {
      out.add(config_.version + "\n");
    } else if ((b & 0x3F) == 0x03) {
      rateHz_ = kRatesHz[b >> 6];
    } else if ((b & 0x03) == 0x01 || (b & 0x03) == 0x02) {  // live / simulated mode
      const std::uint8_t mask = static_cast<std::uint8_t>(b >> 2);
      channels_ = static_cast<std::uint32_t>(std::popcount(mask));
      if (channels_ == 0) continue;
      live_ = true;
      startUs_ = time.deviceUs;
      framesSent_ = 0;
      report(QStringLiteral("stream"), {{"on", true},
                                        {"rate_hz", static_cast<int>(rateHz_)},
                                        {"channels", static_cast<int>(channels_)}});
    }
    // 0x00 when idle, battery thresholds and the rest: nothing to do.
  }
}

std::uint16_t BitalinoFirmware::toAdc(double uv, std::uint32_t bits) const {
  // Inverse of EMG(V) = (ADC / 2^n - 1/2) * VCC / G.
  const double adc = (uv * 1e-6 * config_.emgGain / config_.vcc + 0.5) * static_cast<double>(1u << bits);
  return static_cast<std::uint16_t>(std::clamp(std::lround(adc), 0L, static_cast<long>((1u << bits) - 1)));
}

void BitalinoFirmware::tick(const SimTime& time, FirmwareOutput& out) {
  if (!live_) return;
  const auto due = static_cast<std::uint64_t>(static_cast<double>(time.deviceUs - startUs_) * rateHz_ / 1e6);
  while (framesSent_ < due) appendFrame(out);
}

void BitalinoFirmware::appendFrame(FirmwareOutput& out) {
  std::array<std::uint16_t, 6> adc{};
  const double deviceUs = static_cast<double>(startUs_) + static_cast<double>(framesSent_) * 1e6 / rateHz_;
  for (std::uint32_t slot = 0; slot < channels_; ++slot) {
    adc[slot] = toAdc(signalSample(framesSent_, slot, rateHz_, deviceUs), slot < 4 ? 10 : 6);
  }
  packFrame(static_cast<std::uint8_t>(framesSent_ & 0x0F),
            std::span<const std::uint16_t>(adc.data(), channels_), out.buffer());
  out.endUnit();
  ++framesSent_;
}

void BitalinoFirmware::corrupt(std::span<std::uint8_t> unit) {
  if (!unit.empty()) unit[0] ^= 0x10;  // one bit: CRC-4 detects every single-bit error
}

}  // namespace tautband::devices::sim
