#pragma once

#include "devices/link/PriorityInheritanceMutex.h"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>

namespace tautband::devices {

// The one write path to a device. The link's I/O thread sends every command
// through it and the safety thread writes emission-off and keep-alives
// through the same object, so the two never interleave inside a frame and the
// safety thread never queues behind the I/O thread's event loop, sample
// traffic or a decoder call. Thread-safe.
class LinkWriter {
 public:
  struct Result {
    bool ok = false;
    std::size_t written = 0;
    std::chrono::nanoseconds elapsed{0};
    std::string error;  // empty when ok
  };

  virtual ~LinkWriter() = default;

  // Writes all bytes or fails at the deadline.
  virtual Result write(std::span<const std::uint8_t> bytes, std::chrono::microseconds timeout) = 0;

  // The safety thread's writes (emission-off, keep-alive): never wait behind
  // another writer that is waiting for the port to drain.
  virtual Result writeUrgent(std::span<const std::uint8_t> bytes, std::chrono::microseconds timeout) {
    return write(bytes, timeout);
  }

  // Later writes fail with "link closed". Called by the link when the port
  // goes away, so a stale descriptor can never be reused.
  virtual void detach() = 0;
  virtual bool attached() const = 0;
};

// LinkWriter for descriptor-backed links (serial ports, ptys, RFCOMM
// sockets): writes to its own duplicate of the descriptor, non-blocking,
// under a mutex, and gives up at the deadline rather than wait.
class FdLinkWriter final : public LinkWriter {
 public:
  // Takes a duplicate of fd; the caller keeps its own.
  explicit FdLinkWriter(int fd);
  ~FdLinkWriter() override;
  FdLinkWriter(const FdLinkWriter&) = delete;
  FdLinkWriter& operator=(const FdLinkWriter&) = delete;

  // Commands: whole frames when the port takes them; while the port is full
  // the lock is released so an urgent write can go first. A command cut that
  // way is lost (the device drops the fragment at the next frame's leading
  // 0x00) and its request times out; emission-off is never delayed by it.
  Result write(std::span<const std::uint8_t> bytes, std::chrono::microseconds timeout) override;
  // Holds the lock until done: a safety frame is never cut.
  Result writeUrgent(std::span<const std::uint8_t> bytes, std::chrono::microseconds timeout) override;
  void detach() override;
  bool attached() const override;
  // The safety thread shares this lock with the I/O thread: priority inheritance.
  bool lockInheritsPriority() const { return mutex_.inheritsPriority(); }

 private:
  Result writeImpl(std::span<const std::uint8_t> bytes, std::chrono::microseconds timeout, bool urgent);

  mutable PriorityInheritanceMutex mutex_;
  int fd_ = -1;
};

}  // namespace tautband::devices
