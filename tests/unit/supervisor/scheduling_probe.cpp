// Child process for test_supervisor_scheduling: restricts itself the way an
// unprivileged install is restricted (RLIMIT_RTPRIO, RLIMIT_NICE, no
// CAP_SYS_NICE), BEFORE any thread exists, then starts a LaserSupervisor and
// prints one JSON line: what the supervisor reported, what the kernel says
// about its thread, and whether a raised fault was still handled.
// Usage: scheduling_probe [--rtprio N] [--nice-limit N] [--drop-sys-nice] [--fifo-priority N]
#include "supervisor/LaserSupervisor.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include <cstdio>
#include <cstring>
#include <string>

#include <linux/capability.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace tautband;

namespace {

bool setLimit(int resource, rlim_t value) {
  rlimit limit{value, value};
  return ::setrlimit(resource, &limit) == 0;
}

// Clears CAP_SYS_NICE from the effective and permitted sets: root without it
// is refused SCHED_FIFO and negative nice exactly like an ordinary user.
bool dropSysNice() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (::syscall(SYS_capget, &header, data) != 0) return false;
  const unsigned bit = 1u << (CAP_SYS_NICE % 32);
  data[CAP_SYS_NICE / 32].effective &= ~bit;
  data[CAP_SYS_NICE / 32].permitted &= ~bit;
  data[CAP_SYS_NICE / 32].inheritable &= ~bit;
  return ::syscall(SYS_capset, &header, data) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  QJsonObject out;
  supervisor::LaserSupervisor::Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--rtprio" && i + 1 < argc)
      out.insert("rtprio_set", setLimit(RLIMIT_RTPRIO, std::strtoul(argv[++i], nullptr, 10)));
    if (arg == "--nice-limit" && i + 1 < argc)
      out.insert("nice_limit_set", setLimit(RLIMIT_NICE, std::strtoul(argv[++i], nullptr, 10)));
    if (arg == "--drop-sys-nice") out.insert("sys_nice_dropped", dropSysNice());
    if (arg == "--fifo-priority" && i + 1 < argc) options.scheduling.fifoPriority = std::atoi(argv[++i]);
  }
  QCoreApplication app(argc, argv);
  {
    supervisor::LaserSupervisor sup(options, nullptr);
    const auto report = sup.scheduling();
    const auto snap = sup.snapshot();
    const int policy = ::sched_getscheduler(report.tid);
    errno = 0;
    const int nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(report.tid));
    out.insert("kind", report.kind == supervisor::SchedulingKind::Fifo         ? "fifo"
                       : report.kind == supervisor::SchedulingKind::RaisedNice ? "raised_nice"
                                                                               : "default");
    out.insert("priority", report.priority);
    out.insert("nice", report.nice);
    out.insert("refusal", QString::fromStdString(report.refusal));
    out.insert("describe", QString::fromStdString(report.describe()));
    out.insert("tid", static_cast<qint64>(report.tid));
    out.insert("timer_slack_set", report.timerSlackSet);
    out.insert("kernel_policy", policy == SCHED_FIFO    ? "SCHED_FIFO"
                                : policy == SCHED_OTHER ? "SCHED_OTHER"
                                                        : "other");
    out.insert("kernel_nice", nice);
    out.insert("snapshot_realtime", snap.realtime);
    out.insert("snapshot_scheduling", snap.scheduling);
    // The supervisor still does its job: a raised fault is taken up.
    sup.raiseFault(safety::FaultReason::RuleChanged, QStringLiteral("probe"));
    bool handled = false;
    for (int i = 0; i < 400 && !handled; ++i) {
      handled = sup.snapshot().lastFault.endsWith(QStringLiteral("probe"));
      if (!handled) QThread::msleep(5);
    }
    out.insert("fault_handled", handled);
  }
  std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
  std::fflush(stdout);
  return 0;
}
