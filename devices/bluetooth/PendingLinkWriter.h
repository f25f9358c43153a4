#pragma once

#include "devices/link/LinkWriter.h"

#include <memory>
#include <mutex>
#include <vector>

namespace tautband::devices {

// The RFCOMM write path: until the socket exists (BlueZ hands the descriptor
// over in Profile1.NewConnection, after Transport::open() returned) bytes
// queue here; from then on every write goes straight to the descriptor
// through an FdLinkWriter (locked, non-blocking, with a deadline), so the
// safety thread never waits for the link's I/O thread. Thread-safe.
class PendingLinkWriter final : public LinkWriter {
 public:
  explicit PendingLinkWriter(std::size_t maxPendingBytes = 16 * 1024) : maxPending_(maxPendingBytes) {}

  // The connection is up: writes go to fd from now on, queued bytes first.
  // Returns the result of flushing the queue.
  Result connect(int fd, std::chrono::microseconds timeout);

  Result write(std::span<const std::uint8_t> bytes, std::chrono::microseconds timeout) override;
  void detach() override;
  bool attached() const override;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<FdLinkWriter> fd_;
  std::vector<std::uint8_t> pending_;
  std::size_t maxPending_;
  bool detached_ = false;
};

}  // namespace tautband::devices
