#pragma once

// Counts heap allocations per thread, for tests that prove a path allocates
// nothing. Include in exactly ONE translation unit of a test executable: it
// replaces the global operator new.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace tautband::test {

inline thread_local std::uint64_t allocationsOnThisThread = 0;

}  // namespace tautband::test

void* operator new(std::size_t size) {
  ++tautband::test::allocationsOnThisThread;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  return operator new(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  ++tautband::test::allocationsOnThisThread;
  return std::malloc(size ? size : 1);
}
void* operator new[](std::size_t size, const std::nothrow_t& t) noexcept {
  return operator new(size, t);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
