#include "supervisor/FaultMailbox.h"

#include <mutex>
#include <utility>

#include <sys/eventfd.h>
#include <unistd.h>

namespace tautband::supervisor {

FaultMailbox::FaultMailbox() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

FaultMailbox::~FaultMailbox() {
  if (fd_ >= 0) ::close(fd_);
}

bool FaultMailbox::post(safety::FaultReason reason, const QString& detail, std::int64_t raisedNs) {
  {
    std::lock_guard lock(mutex_);
    if (count_ == slots_.size()) {
      overflowed_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    auto& slot = slots_[count_++];
    slot.reason = reason;
    slot.detail = detail;
    slot.raisedNs = raisedNs;
  }
  const std::uint64_t one = 1;
  // Non-blocking; the counter cannot overflow at 16 posts per wakeup.
  [[maybe_unused]] const auto n = ::write(fd_, &one, sizeof one);
  return true;
}

std::size_t FaultMailbox::take(Batch& out) {
  std::uint64_t counter = 0;
  [[maybe_unused]] const auto n = ::read(fd_, &counter, sizeof counter);
  std::lock_guard lock(mutex_);
  const std::size_t taken = count_;
  for (std::size_t i = 0; i < taken; ++i) out[i] = std::move(slots_[i]);
  count_ = 0;
  return taken;
}

}  // namespace tautband::supervisor
