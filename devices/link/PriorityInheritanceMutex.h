#pragma once

#include <pthread.h>

namespace tautband::devices {

// A mutex with priority inheritance (PTHREAD_PRIO_INHERIT), for locks the
// real-time safety thread shares with ordinary threads (the link's I/O thread
// writing a command, the GUI attaching a link). Without it, a normal-priority
// thread preempted while holding the lock keeps the safety thread waiting for
// as long as the desktop keeps it off the CPU (priority inversion); with it,
// the holder runs at the waiter's priority until it unlocks. BasicLockable,
// so std::lock_guard and std::unique_lock work.
class PriorityInheritanceMutex {
 public:
  PriorityInheritanceMutex() {
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    inherits_ = pthread_mutexattr_setprotocol(&attr, PTHREAD_PRIO_INHERIT) == 0;
    if (pthread_mutex_init(&mutex_, &attr) != 0) {
      // Not expected on Linux; fall back to a plain mutex rather than none.
      inherits_ = false;
      pthread_mutex_init(&mutex_, nullptr);
    }
    pthread_mutexattr_destroy(&attr);
  }
  ~PriorityInheritanceMutex() { pthread_mutex_destroy(&mutex_); }
  PriorityInheritanceMutex(const PriorityInheritanceMutex&) = delete;
  PriorityInheritanceMutex& operator=(const PriorityInheritanceMutex&) = delete;

  void lock() { pthread_mutex_lock(&mutex_); }
  void unlock() { pthread_mutex_unlock(&mutex_); }
  bool try_lock() { return pthread_mutex_trylock(&mutex_) == 0; }

  // True when the mutex was created with priority inheritance.
  bool inheritsPriority() const { return inherits_; }

 private:
  pthread_mutex_t mutex_;
  bool inherits_ = false;
};

}  // namespace tautband::devices
