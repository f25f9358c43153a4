#include "devices/bluetooth/PendingLinkWriter.h"

namespace tautband::devices {

LinkWriter::Result PendingLinkWriter::connect(int fd, std::chrono::microseconds timeout) {
  std::lock_guard lock(mutex_);
  Result result;
  if (detached_) {
    result.error = "link closed";
    return result;
  }
  fd_ = std::make_shared<FdLinkWriter>(fd);
  if (!fd_->attached()) {
    result.error = "cannot duplicate the RFCOMM socket descriptor";
    return result;
  }
  if (pending_.empty()) {
    result.ok = true;
    return result;
  }
  result = fd_->write(pending_, timeout);
  pending_.clear();
  return result;
}

LinkWriter::Result PendingLinkWriter::write(std::span<const std::uint8_t> bytes,
                                            std::chrono::microseconds timeout) {
  std::shared_ptr<FdLinkWriter> fd;
  {
    std::lock_guard lock(mutex_);
    if (detached_) {
      Result result;
      result.error = "link closed";
      return result;
    }
    if (!fd_) {
      Result result;
      if (pending_.size() + bytes.size() > maxPending_) {
        result.error = "RFCOMM not connected yet and its queue is full";
        return result;
      }
      pending_.insert(pending_.end(), bytes.begin(), bytes.end());
      result.ok = true;
      result.written = bytes.size();
      return result;
    }
    fd = fd_;
  }
  // FdLinkWriter has its own lock: writers never interleave inside a frame.
  return fd->write(bytes, timeout);
}

void PendingLinkWriter::detach() {
  std::lock_guard lock(mutex_);
  detached_ = true;
  pending_.clear();
  if (fd_) fd_->detach();
}

bool PendingLinkWriter::attached() const {
  std::lock_guard lock(mutex_);
  return !detached_;
}

}  // namespace tautband::devices
