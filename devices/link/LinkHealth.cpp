#include "devices/link/LinkHealth.h"

namespace tautband::devices {

QString linkStateName(LinkState state) {
  switch (state) {
    case LinkState::Closed: return QStringLiteral("closed");
    case LinkState::Opening: return QStringLiteral("opening");
    case LinkState::Handshaking: return QStringLiteral("handshaking");
    case LinkState::Connected: return QStringLiteral("connected");
    case LinkState::Reconnecting: return QStringLiteral("reconnecting");
    case LinkState::Failed: return QStringLiteral("failed");
  }
  return QStringLiteral("unknown");
}

void LinkHealth::setState(LinkState state, QString detail) {
  std::lock_guard lock(mutex_);
  state_ = state;
  detail_ = std::move(detail);
}

void LinkHealth::setFrameCounters(std::uint64_t frames, std::uint64_t crc, std::uint64_t cobs,
                                  std::uint64_t other) {
  frames_.store(frames, std::memory_order_relaxed);
  crc_.store(crc, std::memory_order_relaxed);
  cobs_.store(cobs, std::memory_order_relaxed);
  other_.store(other, std::memory_order_relaxed);
}

void LinkHealth::setKeepAliveRtt(double ms) {
  std::lock_guard lock(mutex_);
  rttMs_ = ms;
}

void LinkHealth::setRateCap(double bytesPerSecond) {
  std::lock_guard lock(mutex_);
  rateCap_ = bytesPerSecond;
}

void LinkHealth::setMeasuredRate(double bytesPerSecond) {
  std::lock_guard lock(mutex_);
  measuredRate_ = bytesPerSecond;
}

LinkState LinkHealth::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

std::optional<std::int64_t> LinkHealth::lastHeardMs() const {
  const auto v = lastHeardMs_.load(std::memory_order_relaxed);
  if (v < 0) return std::nullopt;
  return v;
}

LinkHealthSnapshot LinkHealth::snapshot(std::int64_t nowMonotonicMs) const {
  LinkHealthSnapshot s;
  {
    std::lock_guard lock(mutex_);
    s.state = state_;
    s.stateDetail = detail_;
    s.keepAliveRttMs = rttMs_;
    s.rateCapBytesPerSecond = rateCap_;
    s.measuredBytesPerSecond = measuredRate_;
  }
  s.bytesIn = bytesIn_.load(std::memory_order_relaxed);
  s.bytesOut = bytesOut_.load(std::memory_order_relaxed);
  s.frames = frames_.load(std::memory_order_relaxed);
  s.crcErrors = crc_.load(std::memory_order_relaxed);
  s.cobsErrors = cobs_.load(std::memory_order_relaxed);
  s.otherFrameErrors = other_.load(std::memory_order_relaxed);
  s.lostSequences = lost_.load(std::memory_order_relaxed);
  s.reconnects = reconnects_.load(std::memory_order_relaxed);
  if (const auto heard = lastHeardMs()) s.msSinceLastHeard = nowMonotonicMs - *heard;
  return s;
}

}  // namespace tautband::devices
