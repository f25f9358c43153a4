// The supervisor thread asks for SCHED_FIFO, falls back to a raised nice and
// then to the default, reports what it got (snapshot, scheduling()) and warns
// once when it runs without real-time guarantees. Behaviour only: what the
// kernel says about the thread, never how fast it is.
#include "supervisor/LaserSupervisor.h"
#include "supervisor/RealtimeScheduling.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <sched.h>
#include <sys/resource.h>

using namespace tautband;
using supervisor::SchedulingKind;

namespace {

struct ProbeRun {
  QJsonObject result;
  QString stderrText;
  int exitCode = -1;
};

ProbeRun runProbe(const QStringList& args) {
  QProcess p;
  p.start(QStringLiteral(SCHEDULING_PROBE), args);
  ProbeRun run;
  if (!p.waitForFinished(30000)) {
    p.kill();
    p.waitForFinished();
    return run;
  }
  run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  run.stderrText = QString::fromLocal8Bit(p.readAllStandardError());
  const auto lines = p.readAllStandardOutput().trimmed().split('\n');
  run.result = QJsonDocument::fromJson(lines.last()).object();
  return run;
}

}  // namespace

class SupervisorSchedulingTest : public QObject {
  Q_OBJECT

 private slots:
  void theReportMatchesWhatTheKernelSaysAboutTheThread() {
    supervisor::LaserSupervisor sup({}, nullptr);
    const auto report = sup.scheduling();
    QVERIFY(report.tid > 0);
    QVERIFY(report.requested);
    const int policy = ::sched_getscheduler(report.tid);
    QCOMPARE(policy == SCHED_FIFO, report.kind == SchedulingKind::Fifo);
    if (report.kind == SchedulingKind::Fifo) {
      sched_param param{};
      QCOMPARE(::sched_getparam(report.tid, &param), 0);
      QCOMPARE(param.sched_priority, report.priority);
      QVERIFY(report.refusal.empty());
    } else {
      QVERIFY2(!report.refusal.empty(), report.describe().c_str());
    }
    const auto snap = sup.snapshot();
    QCOMPARE(snap.realtime, report.realtime());
    QCOMPARE(snap.scheduling, QString::fromStdString(report.describe()));
  }

  void notRequestedLeavesTheThreadAlone() {
    supervisor::LaserSupervisor::Options options;
    options.scheduling.realtime = false;
    supervisor::LaserSupervisor sup(options, nullptr);
    const auto report = sup.scheduling();
    QCOMPARE(report.kind, SchedulingKind::Default);
    QCOMPARE(::sched_getscheduler(report.tid), SCHED_OTHER);
    QVERIFY(QString::fromStdString(report.describe()).contains(QStringLiteral("not requested")));
  }

  void theProbeChangesNoThreadOfTheCaller() {
    const int before = ::sched_getscheduler(0);
    const auto report = supervisor::probeSafetyThreadScheduling();
    QCOMPARE(::sched_getscheduler(0), before);
    QVERIFY(report.tid > 0);
    QVERIFY(report.tid != static_cast<pid_t>(::gettid()));
  }

  // RLIMIT_RTPRIO 0 and no CAP_SYS_NICE (set in the child before any thread):
  // SCHED_FIFO and a negative nice are refused; the supervisor says so, warns
  // ONCE, and still handles a fault.
  void refusedRealtimeFallsBackToTheDefaultAndWarnsOnce() {
    const auto run =
        runProbe({QStringLiteral("--rtprio"), QStringLiteral("0"), QStringLiteral("--nice-limit"),
                  QStringLiteral("0"), QStringLiteral("--drop-sys-nice")});
    QCOMPARE(run.exitCode, 0);
    const auto& r = run.result;
    QVERIFY2(r.value("rtprio_set").toBool(), qPrintable(run.stderrText));
    QCOMPARE(r.value("kind").toString(), QStringLiteral("default"));
    QCOMPARE(r.value("kernel_policy").toString(), QStringLiteral("SCHED_OTHER"));
    QCOMPARE(r.value("snapshot_realtime").toBool(), false);
    QVERIFY(r.value("refusal").toString().contains(QStringLiteral("RLIMIT_RTPRIO 0")));
    QVERIFY(r.value("snapshot_scheduling").toString().contains(QStringLiteral("real-time refused")));
    QVERIFY(r.value("fault_handled").toBool());
    QCOMPARE(run.stderrText.count(QStringLiteral("WITHOUT real-time guarantees")), 1);
  }

  // Same, but RLIMIT_NICE allows nice -10: the fallback is taken.
  void refusedRealtimeWithANiceAllowanceRunsAtNiceMinusTen() {
    const auto run =
        runProbe({QStringLiteral("--rtprio"), QStringLiteral("0"), QStringLiteral("--nice-limit"),
                  QStringLiteral("30"), QStringLiteral("--drop-sys-nice")});
    QCOMPARE(run.exitCode, 0);
    const auto& r = run.result;
    if (!r.value("nice_limit_set").toBool()) QSKIP("this account may not raise RLIMIT_NICE to 30");
    QCOMPARE(r.value("kind").toString(), QStringLiteral("raised_nice"));
    QCOMPARE(r.value("kernel_policy").toString(), QStringLiteral("SCHED_OTHER"));
    QCOMPARE(r.value("kernel_nice").toInt(), -10);
    QCOMPARE(r.value("nice").toInt(), -10);
    QVERIFY(r.value("fault_handled").toBool());
    QCOMPARE(run.stderrText.count(QStringLiteral("WITHOUT real-time guarantees")), 1);
  }

  // SCHED_FIFO refused for another reason (an out-of-range priority) while the
  // account may lower nice: the nice -10 fallback is taken. (The RLIMIT_NICE
  // case above skips where a container forbids raising RLIMIT_NICE.)
  void aRefusedFifoRequestFallsBackToNiceMinusTen() {
    const auto run = runProbe({QStringLiteral("--fifo-priority"), QStringLiteral("1000")});
    QCOMPARE(run.exitCode, 0);
    const auto& r = run.result;
    if (r.value("kind").toString() == QLatin1String("default")) QSKIP("this account may not lower nice");
    QCOMPARE(r.value("kind").toString(), QStringLiteral("raised_nice"));
    QCOMPARE(r.value("kernel_policy").toString(), QStringLiteral("SCHED_OTHER"));
    QCOMPARE(r.value("kernel_nice").toInt(), -10);
    QVERIFY(r.value("refusal").toString().contains(QStringLiteral("Invalid argument")));
    QVERIFY(r.value("fault_handled").toBool());
    QCOMPARE(run.stderrText.count(QStringLiteral("WITHOUT real-time guarantees")), 1);
  }

  // Where the OS allows it (root, CAP_SYS_NICE or LimitRTPRIO >= 20), the
  // thread really is SCHED_FIFO 20 and no warning is printed.
  void grantedRealtimeIsFifoAndSilent() {
    if (supervisor::probeSafetyThreadScheduling().kind != SchedulingKind::Fifo) {
      QSKIP("this account may not use SCHED_FIFO (covered by the refused cases)");
    }
    const auto run = runProbe({QStringLiteral("--rtprio"), QStringLiteral("20")});
    QCOMPARE(run.exitCode, 0);
    const auto& r = run.result;
    QCOMPARE(r.value("kind").toString(), QStringLiteral("fifo"));
    QCOMPARE(r.value("kernel_policy").toString(), QStringLiteral("SCHED_FIFO"));
    QCOMPARE(r.value("priority").toInt(), 20);
    QVERIFY(r.value("snapshot_realtime").toBool());
    QVERIFY(r.value("timer_slack_set").toBool());
    QVERIFY(r.value("fault_handled").toBool());
    QCOMPARE(run.stderrText.count(QStringLiteral("WITHOUT real-time guarantees")), 0);
  }
};

QTEST_GUILESS_MAIN(SupervisorSchedulingTest)
#include "test_supervisor_scheduling.moc"
