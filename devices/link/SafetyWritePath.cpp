#include "devices/link/SafetyWritePath.h"

namespace tautband::devices {
namespace {

LinkWriter::Result notConnected() {
  LinkWriter::Result r;
  r.error = "link not connected";
  return r;
}

}  // namespace

SafetyWritePath::Current SafetyWritePath::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

bool SafetyWritePath::ready() const {
  const auto c = current();
  return c.writer && c.writer->attached() && c.emissionOff;
}

LinkWriter::Result SafetyWritePath::sendEmissionOff(std::chrono::microseconds timeout) {
  const auto c = current();
  if (!c.writer || !c.emissionOff) return notConnected();
  return c.writer->writeUrgent(*c.emissionOff, timeout);
}

LinkWriter::Result SafetyWritePath::sendKeepAlive(std::chrono::microseconds timeout) {
  const auto c = current();
  if (!c.writer || !c.keepAlive || c.keepAlive->empty()) return notConnected();
  auto result = c.writer->writeUrgent(*c.keepAlive, timeout);
  if (result.ok) {
    lastKeepAliveNs_.store(std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::steady_clock::now().time_since_epoch())
                               .count(),
                           std::memory_order_relaxed);
  }
  return result;
}

void SafetyWritePath::attach(std::shared_ptr<LinkWriter> writer, std::vector<std::uint8_t> emissionOff,
                             std::vector<std::uint8_t> keepAlive) {
  std::lock_guard lock(mutex_);
  current_.writer = std::move(writer);
  current_.emissionOff = std::make_shared<const std::vector<std::uint8_t>>(std::move(emissionOff));
  current_.keepAlive = std::make_shared<const std::vector<std::uint8_t>>(std::move(keepAlive));
}

void SafetyWritePath::detach() {
  std::lock_guard lock(mutex_);
  current_ = {};
}

}  // namespace tautband::devices
