#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace tautband::emglive {

// A bounded single-producer/single-consumer ring. Storage is allocated once in
// the constructor; push and pop never allocate, never lock and never wait.
// When full the producer's push fails (the caller drops and counts).
template <typename T>
class SpscRing {
 public:
  explicit SpscRing(std::size_t capacity) : size_(capacity + 1), slots_(size_) {}

  std::size_t capacity() const { return size_ - 1; }

  // Producer.
  bool tryPush(T value) {
    const std::size_t head = head_.load(std::memory_order_relaxed);
    const std::size_t next = head + 1 == size_ ? 0 : head + 1;
    if (next == tail_.load(std::memory_order_acquire)) return false;
    slots_[head] = std::move(value);
    head_.store(next, std::memory_order_release);
    return true;
  }
  // All n or nothing (so a block of samples is never split by a drop).
  bool tryPushAll(const T* values, std::size_t n) {
    const std::size_t head = head_.load(std::memory_order_relaxed);
    const std::size_t tail = tail_.load(std::memory_order_acquire);
    const std::size_t used = head >= tail ? head - tail : size_ - tail + head;
    if (n > size_ - 1 - used) return false;
    const std::size_t first = std::min(n, size_ - head);
    std::copy_n(values, first, slots_.begin() + static_cast<std::ptrdiff_t>(head));
    std::copy_n(values + first, n - first, slots_.begin());
    head_.store((head + n) % size_, std::memory_order_release);
    return true;
  }

  // Consumer.
  bool tryPop(T& out) {
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    if (tail == head_.load(std::memory_order_acquire)) return false;
    out = std::move(slots_[tail]);
    tail_.store(tail + 1 == size_ ? 0 : tail + 1, std::memory_order_release);
    return true;
  }
  // Up to n values; returns how many.
  std::size_t popInto(T* out, std::size_t n) {
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    const std::size_t head = head_.load(std::memory_order_acquire);
    const std::size_t avail = head >= tail ? head - tail : size_ - tail + head;
    n = std::min(n, avail);
    const std::size_t first = std::min(n, size_ - tail);
    std::copy_n(slots_.begin() + static_cast<std::ptrdiff_t>(tail), first, out);
    std::copy_n(slots_.begin(), n - first, out + first);
    tail_.store((tail + n) % size_, std::memory_order_release);
    return n;
  }
  std::size_t size() const {
    const std::size_t head = head_.load(std::memory_order_acquire);
    const std::size_t tail = tail_.load(std::memory_order_acquire);
    return head >= tail ? head - tail : size_ - tail + head;
  }

 private:
  const std::size_t size_;
  std::vector<T> slots_;
  alignas(64) std::atomic<std::size_t> head_{0};
  alignas(64) std::atomic<std::size_t> tail_{0};
};

}  // namespace tautband::emglive
