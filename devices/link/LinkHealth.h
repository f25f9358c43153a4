#pragma once

#include <QString>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>

namespace tautband::devices {

enum class LinkState {
  Closed,        // not opened, or closed by the user
  Opening,       // opening the port
  Handshaking,   // Hello sent, waiting for DeviceInfo
  Connected,
  Reconnecting,  // lost; retrying with back-off by identity
  Failed,        // gave up (e.g. wrong device or protocol major): needs the user
};

QString linkStateName(LinkState state);

// A copy of a link's health, safe to hand to any thread.
struct LinkHealthSnapshot {
  LinkState state = LinkState::Closed;
  QString stateDetail;           // why, in words (last error, retry in N ms)
  std::uint64_t bytesIn = 0;
  std::uint64_t bytesOut = 0;
  std::uint64_t frames = 0;
  std::uint64_t crcErrors = 0;
  std::uint64_t cobsErrors = 0;
  std::uint64_t otherFrameErrors = 0;  // too short, oversize, unparsable envelope
  std::uint64_t lostSequences = 0;     // gaps in EmgFrame/LaserStatus sequence numbers
  std::uint64_t reconnects = 0;
  std::optional<std::int64_t> msSinceLastHeard;  // nullopt: never heard
  std::optional<double> keepAliveRttMs;
  double rateCapBytesPerSecond = 0;  // what the transport can carry
  double measuredBytesPerSecond = 0; // incoming, over the last second

  std::uint64_t frameErrors() const { return crcErrors + cobsErrors + otherFrameErrors; }
};

// Counters written by the link's threads and read by anyone. Counters are
// atomics (written by one thread each); the few non-counter fields sit behind
// a mutex that is never held across I/O.
class LinkHealth {
 public:
  void setState(LinkState state, QString detail = {});
  void addBytesIn(std::uint64_t n) { bytesIn_.fetch_add(n, std::memory_order_relaxed); }
  void addBytesOut(std::uint64_t n) { bytesOut_.fetch_add(n, std::memory_order_relaxed); }
  void setFrameCounters(std::uint64_t frames, std::uint64_t crc, std::uint64_t cobs, std::uint64_t other);
  void addLostSequences(std::uint64_t n) { lost_.fetch_add(n, std::memory_order_relaxed); }
  void addReconnect() { reconnects_.fetch_add(1, std::memory_order_relaxed); }
  void markHeard(std::int64_t monotonicMs) { lastHeardMs_.store(monotonicMs, std::memory_order_relaxed); }
  void setKeepAliveRtt(double ms);
  void setRateCap(double bytesPerSecond);
  void setMeasuredRate(double bytesPerSecond);

  LinkState state() const;
  std::optional<std::int64_t> lastHeardMs() const;
  LinkHealthSnapshot snapshot(std::int64_t nowMonotonicMs) const;

 private:
  mutable std::mutex mutex_;
  LinkState state_ = LinkState::Closed;
  QString detail_;
  std::optional<double> rttMs_;
  double rateCap_ = 0;
  double measuredRate_ = 0;

  std::atomic<std::uint64_t> bytesIn_{0}, bytesOut_{0}, frames_{0}, crc_{0}, cobs_{0}, other_{0}, lost_{0},
      reconnects_{0};
  std::atomic<std::int64_t> lastHeardMs_{-1};
};

}  // namespace tautband::devices
