#include "devices/link/LinkWriter.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

namespace tautband::devices {

using Clock = std::chrono::steady_clock;

FdLinkWriter::FdLinkWriter(int fd) {
  if (fd >= 0) {
    fd_ = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (fd_ >= 0) ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  }
}

FdLinkWriter::~FdLinkWriter() { detach(); }

void FdLinkWriter::detach() {
  std::lock_guard lock(mutex_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool FdLinkWriter::attached() const {
  std::lock_guard lock(mutex_);
  return fd_ >= 0;
}

LinkWriter::Result FdLinkWriter::write(std::span<const std::uint8_t> bytes, std::chrono::microseconds timeout) {
  return writeImpl(bytes, timeout, false);
}

LinkWriter::Result FdLinkWriter::writeUrgent(std::span<const std::uint8_t> bytes, std::chrono::microseconds timeout) {
  return writeImpl(bytes, timeout, true);
}

LinkWriter::Result FdLinkWriter::writeImpl(std::span<const std::uint8_t> bytes, std::chrono::microseconds timeout,
                                           bool urgent) {
  const auto start = Clock::now();
  const auto deadline = start + timeout;
  Result result;
  std::unique_lock lock(mutex_);
  while (result.written < bytes.size()) {
    if (fd_ < 0) {
      result.error = "link closed";
      break;
    }
    const ssize_t n = ::write(fd_, bytes.data() + result.written, bytes.size() - result.written);
    if (n > 0) {
      result.written += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      result.error = std::string("write failed: ") + std::strerror(errno);
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() < 0) {
      result.error = "write timed out";
      break;
    }
    pollfd pfd{fd_, POLLOUT, 0};
    // A command writer lets go of the port while it waits, so an urgent write
    // is never stuck behind a full buffer's worth of command.
    if (!urgent) lock.unlock();
    ::poll(&pfd, 1, static_cast<int>(std::min<std::int64_t>(left.count(), urgent ? left.count() : 5)) + 1);
    if (!urgent) lock.lock();
    if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) {
      result.error = "port hung up";
      break;
    }
  }
  result.ok = result.written == bytes.size();
  result.elapsed = Clock::now() - start;
  return result;
}

}  // namespace tautband::devices
