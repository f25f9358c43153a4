#include "supervisor/RealtimeScheduling.h"

#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace tautband::supervisor {
namespace {

pid_t currentTid() {
  return static_cast<pid_t>(::syscall(SYS_gettid));
}

std::string rtprioLimitText() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_RTPRIO, &limit) != 0) return {};
  if (limit.rlim_cur == RLIM_INFINITY) return "RLIMIT_RTPRIO unlimited";
  return "RLIMIT_RTPRIO " + std::to_string(limit.rlim_cur);
}

}  // namespace

std::string SchedulingReport::describe() const {
  std::string text;
  switch (kind) {
    case SchedulingKind::Fifo:
      text = "SCHED_FIFO priority " + std::to_string(priority);
      break;
    case SchedulingKind::RaisedNice:
      text = "SCHED_OTHER nice " + std::to_string(nice);
      break;
    case SchedulingKind::Default:
      text = "SCHED_OTHER nice " + std::to_string(nice) + " (default)";
      break;
  }
  if (!requested) {
    text += " (real-time not requested)";
  } else if (!refusal.empty()) {
    text += " (real-time refused: " + refusal + ")";
  }
  return text;
}

SchedulingReport applySafetyThreadScheduling(const SchedulingRequest& request) {
  SchedulingReport report;
  report.tid = currentTid();
  report.requested = request.realtime;
  if (request.timerSlack1ns) report.timerSlackSet = ::prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL) == 0;
  if (request.realtime) {
    sched_param param{};
    param.sched_priority = request.fifoPriority;
    const int rc = ::pthread_setschedparam(::pthread_self(), SCHED_FIFO, &param);
    if (rc == 0) {
      report.kind = SchedulingKind::Fifo;
      report.priority = request.fifoPriority;
    } else {
      report.refusal = std::strerror(rc);
      if (const auto limit = rtprioLimitText(); !limit.empty()) report.refusal += "; " + limit;
      // Linux: a thread id is a valid PRIO_PROCESS target and changes only this thread.
      if (::setpriority(PRIO_PROCESS, static_cast<id_t>(report.tid), request.fallbackNice) == 0) {
        report.kind = SchedulingKind::RaisedNice;
      }
    }
  }
  errno = 0;
  const int nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(report.tid));
  report.nice = errno == 0 ? nice : 0;
  return report;
}

SchedulingReport probeSafetyThreadScheduling(const SchedulingRequest& request) {
  SchedulingReport report;
  std::thread probe([&] { report = applySafetyThreadScheduling(request); });
  probe.join();
  return report;
}

void prefaultStack(std::size_t bytes) {
  // A VLA is not C++; a fixed upper bound keeps the frame size known.
  constexpr std::size_t kMax = 256 * 1024;
  unsigned char storage[kMax];
  volatile unsigned char* block = storage;  // volatile: the stores are kept
  const std::size_t n = bytes < kMax ? bytes : kMax;
  // From the end nearest the caller's frame down: those are the pages deeper calls use.
  for (std::size_t i = 0; i < n; i += 4096) block[kMax - 1 - i] = 0;
  if (n) block[kMax - n] = 0;
}

}  // namespace tautband::supervisor
