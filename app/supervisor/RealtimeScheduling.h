#pragma once

#include <cstddef>
#include <string>

#include <sys/types.h>

namespace tautband::supervisor {

// What the safety thread asks the OS for. The emission-off write must not
// wait behind a busy desktop: SCHED_FIFO at a modest priority (above normal
// threads, below the kernel's own real-time threads, which use 50 and up).
// When the OS refuses (no CAP_SYS_NICE, RLIMIT_RTPRIO too low), a raised
// nice; when that is refused too, the default.
struct SchedulingRequest {
  bool realtime = true;       // false: leave the thread as it is (benchmark baseline)
  int fifoPriority = 20;      // 1..99
  int fallbackNice = -10;     // used when SCHED_FIFO is refused
  bool timerSlack1ns = true;  // prctl(PR_SET_TIMERSLACK, 1): timers fire on time
};

enum class SchedulingKind {
  Fifo,        // SCHED_FIFO at `priority`
  RaisedNice,  // SCHED_OTHER at `nice`
  Default,     // SCHED_OTHER, whatever nice the process had
};

// What one thread got, in words a manager can read.
struct SchedulingReport {
  SchedulingKind kind = SchedulingKind::Default;
  int priority = 0;  // SCHED_FIFO priority, 0 otherwise
  int nice = 0;      // the thread's nice value
  bool timerSlackSet = false;
  bool requested = true;  // false when the request had realtime = false
  pid_t tid = 0;
  std::string refusal;  // why SCHED_FIFO was not granted; empty when it was

  bool realtime() const { return kind == SchedulingKind::Fifo; }
  // e.g. "SCHED_FIFO priority 20" or
  // "SCHED_OTHER nice -10 (real-time refused: Operation not permitted; RLIMIT_RTPRIO 0)".
  std::string describe() const;
};

// Applies the request to the CALLING thread and reports what it got. Never
// throws and never fails: a refused request is reported, not an error.
SchedulingReport applySafetyThreadScheduling(const SchedulingRequest& request);

// Tells what the safety thread would get, by applying the request on a
// short-lived thread of its own; the caller's threads are untouched. For
// `tautband --version` and status queries before the supervisor exists.
SchedulingReport probeSafetyThreadScheduling(const SchedulingRequest& request = {});

// Touches `bytes` of the calling thread's stack so the fault path never takes
// a first-touch page fault on it.
void prefaultStack(std::size_t bytes);

}  // namespace tautband::supervisor
