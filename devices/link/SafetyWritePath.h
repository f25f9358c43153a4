#pragma once

#include "devices/link/LinkWriter.h"
#include "devices/link/PriorityInheritanceMutex.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

namespace tautband::devices {

// What the safety thread holds for one laser link: the link's current
// writer and the emission-off and keep-alive bytes encoded once at connect,
// so stopping a laser never calls codec or plugin code and never waits for
// the link's I/O thread. Stable for the link's lifetime; the link swaps the
// writer inside on every (re)connect and clears it on loss.
class SafetyWritePath {
 public:
  static constexpr std::chrono::microseconds kDefaultTimeout{5000};

  // Emission off: the bytes are written even when a previous write of this
  // path is still pending elsewhere, because the writer serialises them.
  LinkWriter::Result sendEmissionOff(std::chrono::microseconds timeout = kDefaultTimeout);
  LinkWriter::Result sendKeepAlive(std::chrono::microseconds timeout = kDefaultTimeout);

  bool ready() const;

  // Monotonic time (ns) of the last successful keep-alive write, 0 if none.
  std::int64_t lastKeepAliveSentNs() const { return lastKeepAliveNs_.load(std::memory_order_relaxed); }

  // Called by the link.
  void attach(std::shared_ptr<LinkWriter> writer, std::vector<std::uint8_t> emissionOff,
              std::vector<std::uint8_t> keepAlive);
  void detach();

  bool lockInheritsPriority() const { return mutex_.inheritsPriority(); }

 private:
  struct Current {
    std::shared_ptr<LinkWriter> writer;
    std::shared_ptr<const std::vector<std::uint8_t>> emissionOff;
    std::shared_ptr<const std::vector<std::uint8_t>> keepAlive;
  };
  Current current() const;

  // Shared with the link's threads on (re)connect: priority inheritance.
  mutable PriorityInheritanceMutex mutex_;
  Current current_;
  std::atomic<std::int64_t> lastKeepAliveNs_{0};
};

}  // namespace tautband::devices
