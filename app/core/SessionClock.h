#pragma once

#include <chrono>
#include <cstdint>

namespace tautband::core {

// The one monotonic session clock (BRIEF §4 "one clock"): every sample, LTR,
// laser event and audit entry carries microseconds since the session's start
// on this clock, so exports line up. Built once by the composition root and
// passed by reference; immutable after construction, so any thread may read it.
class SessionClock {
 public:
  using Steady = std::chrono::steady_clock;

  SessionClock() : start_(Steady::now()) {}
  explicit SessionClock(Steady::time_point start) : start_(start) {}

  Steady::time_point start() const { return start_; }
  std::int64_t nowUs() const { return toSessionUs(Steady::now()); }
  double nowS() const { return static_cast<double>(nowUs()) * 1e-6; }
  std::int64_t toSessionUs(Steady::time_point t) const {
    return std::chrono::duration_cast<std::chrono::microseconds>(t - start_).count();
  }

 private:
  Steady::time_point start_;
};

}  // namespace tautband::core
