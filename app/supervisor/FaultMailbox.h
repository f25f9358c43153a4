#pragma once

#include "devices/link/PriorityInheritanceMutex.h"
#include "safety/LaserArming.h"

#include <QString>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace tautband::supervisor {

// Faults raised on other threads, on their way to the supervisor thread.
// post() allocates nothing and queues no Qt event: it fills a fixed slot and
// bumps an eventfd the supervisor thread's event loop watches, so a fault
// never waits behind other queued calls or a heap allocation. The supervisor
// thread take()s every pending fault at once and writes emission-off first.
class FaultMailbox {
 public:
  struct Fault {
    safety::FaultReason reason = safety::FaultReason::None;
    QString detail;  // implicitly shared: copying it does not allocate
    std::int64_t raisedNs = 0;
  };
  static constexpr std::size_t kCapacity = 16;
  using Batch = std::array<Fault, kCapacity>;

  FaultMailbox();
  ~FaultMailbox();
  FaultMailbox(const FaultMailbox&) = delete;
  FaultMailbox& operator=(const FaultMailbox&) = delete;

  // Readable while faults are pending. -1 if the kernel refused an eventfd.
  int fd() const { return fd_; }

  // Any thread. False when the box is full: the fault is counted in
  // overflowed(); the faults already waiting still turn emission off.
  bool post(safety::FaultReason reason, const QString& detail, std::int64_t raisedNs);

  // Supervisor thread: moves the pending faults into `out` (oldest first),
  // clears the eventfd and returns how many there were.
  std::size_t take(Batch& out);

  std::uint64_t overflowed() const { return overflowed_.load(std::memory_order_relaxed); }

 private:
  int fd_ = -1;
  devices::PriorityInheritanceMutex mutex_;
  Batch slots_;
  std::size_t count_ = 0;
  std::atomic<std::uint64_t> overflowed_{0};
};

}  // namespace tautband::supervisor
