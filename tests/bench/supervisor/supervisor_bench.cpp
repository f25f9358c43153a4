// Laser safety timing against the real simulator over a pty, through the native driver
// plugin (BRIEF §7):
//  1. fault -> emission-off bytes written: 10,000 faults raised while emitting, the GUI
//     (main) thread blocked for 500 ms at random moments; the figure is the supervisor's
//     own lastFaultToOffUs (raise -> write returned). Baseline: the bare safety-path write.
//  2. link loss (simulator stalled: no status out, no bytes in) -> console fault, and the
//     simulator's own watchdog -> emission off, measured from the last keep-alive it read.
//  Part 1 runs twice: with the supervisor's real-time request (the figure) and with it
//  switched off (SCHED_OTHER, the baseline), same trial count, same run.
// Usage: bench_laser_supervisor [--fault-trials N] [--baseline-trials N] [--loss-trials N] [--rigs N]
#include "SimProcess.h"

#include "BenchReport.h"
#include "devices/host/DriverCatalog.h"
#include "devices/host/DriverLinks.h"
#include "supervisor/LaserSupervisor.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include <sched.h>
#include <sys/resource.h>

using namespace tautband;
using supervisor::ChecklistItem;
using supervisor::LaserSupervisor;
using safety::ArmingState;
using Clock = std::chrono::steady_clock;

namespace {

QString loadAverage() {
  QFile f(QStringLiteral("/proc/loadavg"));
  return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll()).section(QLatin1Char(' '), 0, 2) : QString();
}

std::int64_t nowNs() { return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count(); }

// The simulator stands in for the laser's firmware, which runs on its own
// microcontroller and never competes with the console's desktop. Where the OS
// allows it, the bench gives the simulator's (single) thread SCHED_FIFO 10 -
// below the supervisor's 20 - so its 300 ms watchdog and its reaction to
// "stall" are timed like a device's, not like a starved desktop process.
std::atomic<bool> gSimRealtime{true};
std::atomic<int> gSimRealtimeGranted{0};
std::atomic<int> gSimRealtimeRefused{0};
// Diagnosis only (--raiser-realtime 1): the thread that raises the faults runs
// SCHED_FIFO 15 too, to tell the raiser's own preemption from the supervisor's.
std::atomic<bool> gRaiserRealtime{false};
// SCHED_FIFO priority the supervisor asks for its link's I/O thread
// (--link-io-fifo N; 0 = leave it SCHED_OTHER). Default: the product's.
std::atomic<int> gLinkIoFifo{LaserSupervisor::Options{}.linkIoFifoPriority};

void makeSimulatorRealtime(qint64 pid) {
  if (!gSimRealtime.load() || pid <= 0) return;
  sched_param param{};
  param.sched_priority = 10;
  if (::sched_setscheduler(static_cast<pid_t>(pid), SCHED_FIFO, &param) == 0) {
    ++gSimRealtimeGranted;
  } else {
    ++gSimRealtimeRefused;
  }
}

const ChecklistItem kUserItems[] = {ChecklistItem::PractitionerCredentialed, ChecklistItem::PatientScreened,
                                    ChecklistItem::SiteAllowed,            ChecklistItem::EyewearConfirmed,
                                    ChecklistItem::ControlledArea,         ChecklistItem::PowerCheckCurrent,
                                    ChecklistItem::ParametersInLimits,     ChecklistItem::IndependentStop};

// One simulator, one link, one supervisor. Lives entirely in the thread that made it.
class Rig {
 public:
  explicit Rig(const devices::DriverRecord& driver, bool realtime = true) : sim_(QStringList{QStringLiteral("laser")}) {
    link_ = devices::makeDriverSerialLink(QStringLiteral("laser"), sim_.path(), driver);
    LaserSupervisor::Options options;
    options.scheduling.realtime = realtime;
    options.linkIoFifoPriority = gLinkIoFifo.load();
    options.warningDelay = std::chrono::milliseconds(0);  // trials cycle fast
    makeSimulatorRealtime(sim_.process().processId());
    supervisor_ = std::make_unique<LaserSupervisor>(options, [this](const QString& action, const QJsonObject& d) {
      if (action == QLatin1String("laser.state") && d.value(QStringLiteral("to")).toString() == QLatin1String("Fault"))
        faultAtNs_.store(nowNs());
    });
    link_->open();
  }
  ~Rig() {
    supervisor_.reset();
    link_.reset();
  }

  bool connect() {
    const auto deadline = nowNs() + 5'000'000'000LL;
    while (link_->health().state != devices::LinkState::Connected && nowNs() < deadline) sleepMs(5);
    supervisor_->attachLink(link_.get());
    supervisor_->guiHeartbeat();
    return link_->health().state == devices::LinkState::Connected;
  }

  bool waitState(ArmingState state, int timeoutMs) {
    const auto deadline = nowNs() + timeoutMs * 1'000'000LL;
    while (nowNs() < deadline) {
      if (supervisor_->snapshot().state == state) return true;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return supervisor_->snapshot().state == state;
  }

  // Disarmed/Fault/Done -> Emitting (warning delay 0). False if it did not get there.
  bool startEmission() {
    auto s = supervisor_->snapshot().state;
    if (s == ArmingState::Fault) {
      supervisor_->resetFault(QStringLiteral("bench"));
      if (!waitState(ArmingState::Disarmed, 1000)) return false;
    }
    supervisor_->beginChecklist(QStringLiteral("bench"));
    if (!prepared_) {
      for (auto item : kUserItems) supervisor_->setChecklistItem(item, true, QStringLiteral("bench"));
      prepared_ = true;
    }
    if (!waitState(ArmingState::Checklist, 1000)) return false;
    // Device items come from status reports (every 50 ms).
    const auto deadline = nowNs() + 2'000'000'000LL;
    while (nowNs() < deadline) {
      const auto snap = supervisor_->snapshot();
      if (std::all_of(snap.items.begin(), snap.items.end(), [](bool b) { return b; })) break;
      sleepMs(1);
    }
    supervisor_->arm(QStringLiteral("bench"));
    if (!waitState(ArmingState::Armed, 1000)) return false;
    supervisor::EmissionPlan plan;
    plan.powerMw = 200;
    plan.targetEnergyJ = 100;
    plan.maxSeconds = 60;
    supervisor_->requestEmission(plan, QStringLiteral("bench"));
    return waitState(ArmingState::Emitting, 1000);
  }

  static void sleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

  // Events we do not wait for must not fill the simulator's stdout pipe.
  void drainSimulatorOutput() {
    auto& p = sim_.process();
    while (p.waitForReadyRead(0)) {
      p.readAllStandardOutput();
      p.readAllStandardError();
    }
  }

  SimProcess sim_;
  std::unique_ptr<devices::DeviceLink> link_;
  std::unique_ptr<LaserSupervisor> supervisor_;
  std::atomic<std::int64_t> faultAtNs_{0};
  bool prepared_ = false;
};

struct FaultResult {
  QString scheduling;  // what the supervisor thread got
  std::vector<double> faultToOffUs;
  std::vector<double> bareWriteUs;
  int lost = 0;       // another fault overwrote the figure before it was read
  int failed = 0;     // could not reach emission
};

// Part 1, on a worker thread while the main thread plays the blocked GUI.
// The GUI thread's heartbeat reaches the supervisor under test through this.
struct GuiSide {
  std::mutex mutex;
  LaserSupervisor* supervisor = nullptr;
  void beat() {
    std::lock_guard lock(mutex);
    if (supervisor) supervisor->guiHeartbeat();
  }
  void set(LaserSupervisor* s) {
    std::lock_guard lock(mutex);
    supervisor = s;
  }
};

void runFaultTrials(const devices::DriverRecord& driver, int trials, bool realtime, FaultResult& out,
                    std::atomic<int>& progress, GuiSide& gui) {
  Rig rig(driver, realtime);
  out.scheduling = QString::fromStdString(rig.supervisor_->scheduling().describe());
  if (gRaiserRealtime.load()) {
    sched_param param{};
    param.sched_priority = 15;
    if (::pthread_setschedparam(::pthread_self(), SCHED_FIFO, &param) == 0) out.scheduling += QStringLiteral("; raiser SCHED_FIFO 15");
  }
  if (!rig.connect()) {
    out.failed = trials;
    return;
  }
  gui.set(rig.supervisor_.get());
  struct Unset {
    GuiSide& g;
    ~Unset() { g.set(nullptr); }
  } unset{gui};
  auto* rng = QRandomGenerator::global();
  auto path = rig.link_->safetyPath();
  for (int i = 0; i < trials; ++i) {
    progress.store(i);
    rig.drainSimulatorOutput();
    if (!rig.startEmission()) {
      ++out.failed;
      rig.sim_.command(QStringLiteral("clear"));
      Rig::sleepMs(100);
      continue;
    }
    // Emit for 0-20 ms so the fault lands at any phase of keep-alives and status traffic.
    std::this_thread::sleep_for(std::chrono::microseconds(rng->bounded(20000)));
    const QString tag = QStringLiteral("bench trial %1").arg(i);
    rig.supervisor_->raiseFault(safety::FaultReason::RuleChanged, tag);
    if (!rig.waitState(ArmingState::Fault, 1000)) {
      ++out.failed;
      continue;
    }
    const auto snap = rig.supervisor_->snapshot();
    if (snap.lastFault.endsWith(tag) && snap.lastFaultToOffUs >= 0) {
      out.faultToOffUs.push_back(static_cast<double>(snap.lastFaultToOffUs));
    } else {
      ++out.lost;
    }
    // Baseline: the same bytes through the same path, written directly.
    if (i % 10 == 0 && path) {
      const auto t0 = nowNs();
      path->sendEmissionOff();
      out.bareWriteUs.push_back(static_cast<double>(nowNs() - t0) / 1000.0);
    }
  }
}

struct LossResult {
  std::vector<double> detectMs;    // device stalled (simulator's clock) -> supervisor in Fault
  std::vector<double> commandToFaultMs;  // the bench's "stall" write -> supervisor in Fault (adds the bench's own delay)
  std::vector<double> watchdogMs;  // last keep-alive read by the device -> its emission off
  int watchdogNotFirst = 0;        // emission ended by something other than the watchdog
  int failed = 0;
  int notEmitting = 0;             // emission had already ended before the stall
  std::mutex mutex;
};

void runLossTrials(const devices::DriverRecord& driver, int trials, LossResult& out, std::atomic<int>& progress) {
  Rig rig(driver);
  if (!rig.connect()) {
    std::lock_guard lock(out.mutex);
    out.failed += trials;
    return;
  }
  std::atomic<bool> beating{true};
  std::thread heart([&] {
    while (beating.load()) {
      rig.supervisor_->guiHeartbeat();
      Rig::sleepMs(100);
    }
  });
  auto* rng = QRandomGenerator::global();
  for (int i = 0; i < trials; ++i) {
    ++progress;
    if (!rig.startEmission() || !rig.sim_.waitFor(QStringLiteral("emission"), 1000, QStringLiteral("on"), true)) {
      std::lock_guard lock(out.mutex);
      ++out.failed;
      rig.sim_.command(QStringLiteral("clear"));
      Rig::sleepMs(200);
      continue;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(10000 + rng->bounded(40000)));
    rig.faultAtNs_.store(0);
    if (rig.supervisor_->snapshot().state != ArmingState::Emitting) {
      // Already stopped (e.g. a status report late on a loaded machine): not a link-loss trial.
      std::lock_guard lock(out.mutex);
      ++out.notEmitting;
      rig.sim_.command(QStringLiteral("clear"));
      Rig::sleepMs(100);
      continue;
    }
    const auto stallNs = nowNs();
    rig.sim_.command(QStringLiteral("stall 450"));
    // Two events, in one pass so neither wait swallows the other: when the
    // device really went quiet (the simulator's steady clock at the stall),
    // and when it stopped emitting.
    std::optional<QJsonObject> stallOk;
    std::optional<QJsonObject> off;
    const auto eventsUntil = nowNs() + 2'000'000'000LL;
    while ((!stallOk || !off) && nowNs() < eventsUntil) {
      const auto line = rig.sim_.nextLine(static_cast<int>(std::max<std::int64_t>(1, (eventsUntil - nowNs()) / 1'000'000)));
      if (!line) break;
      const auto event = line->value(QStringLiteral("event")).toString();
      if (event == QLatin1String("ok") && line->value(QStringLiteral("command")).toString() == QLatin1String("stall 450")) {
        stallOk = line;
      } else if (event == QLatin1String("emission") && line->value(QStringLiteral("on")) == QJsonValue(false)) {
        off = line;
      }
    }
    const auto deviceStallNs =
        stallOk ? static_cast<std::int64_t>(stallOk->value(QStringLiteral("steady_ns")).toDouble()) : std::int64_t{0};
    // Wait for the console's own verdict too (it may come before or after the device's).
    const auto deadline = nowNs() + 1'000'000'000LL;
    while (rig.faultAtNs_.load() == 0 && nowNs() < deadline) Rig::sleepMs(1);
    {
      std::lock_guard lock(out.mutex);
      if (rig.faultAtNs_.load() != 0) {
        out.commandToFaultMs.push_back(static_cast<double>(rig.faultAtNs_.load() - stallNs) / 1e6);
        // Without the simulator's time, the command's: later, so never flattering.
        const auto from = deviceStallNs > 0 ? deviceStallNs : stallNs;
        out.detectMs.push_back(static_cast<double>(rig.faultAtNs_.load() - from) / 1e6);
      } else {
        out.detectMs.push_back(1e9);  // never detected: counts as a miss
        out.commandToFaultMs.push_back(1e9);
      }
      if (off && off->value(QStringLiteral("reason")).toString().contains(QStringLiteral("watchdog"))) {
        out.watchdogMs.push_back(off->value(QStringLiteral("since_keep_alive_us")).toDouble() / 1000.0);
      } else {
        ++out.watchdogNotFirst;
        out.watchdogMs.push_back(off ? off->value(QStringLiteral("since_keep_alive_us")).toDouble() / 1000.0 : 1e9);
      }
    }
    // The device latched WATCHDOG_EXPIRED: someone at the laser clears it after the stall.
    Rig::sleepMs(460);
    rig.sim_.command(QStringLiteral("clear"));
  }
  beating.store(false);
  heart.join();
}

// Part 1 once: trials on a worker thread while this (main) thread plays the GUI.
double runPart1(QCoreApplication& app, const devices::DriverRecord& driver, int trials, bool realtime, FaultResult& out,
                int& guiBlocks) {
  std::atomic<int> faultProgress{0};
  std::atomic<bool> faultDone{false};
  QElapsedTimer part1;
  part1.start();
  GuiSide gui;
  std::thread faultWorker([&] {
    runFaultTrials(driver, trials, realtime, out, faultProgress, gui);
    faultDone.store(true);
  });
  {
    // The supervisor under test is inside the worker's rig; the GUI side here only blocks.
    QTimer poll;
    poll.setInterval(20);
    QElapsedTimer sinceBlock;
    sinceBlock.start();
    qint64 nextBlockMs = 300 + QRandomGenerator::global()->bounded(2000);
    QObject::connect(&poll, &QTimer::timeout, [&] {
      if (faultDone.load()) {
        app.quit();
        return;
      }
      gui.beat();
      if (sinceBlock.elapsed() >= nextBlockMs) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the frozen GUI
        ++guiBlocks;
        sinceBlock.restart();
        nextBlockMs = 300 + QRandomGenerator::global()->bounded(2000);
      }
    });
    poll.start();
    app.exec();
  }
  faultWorker.join();
  return static_cast<double>(part1.elapsed()) / 1000.0;
}

double fractionAtMost(const std::vector<double>& v, double limit) {
  if (v.empty()) return 0.0;
  return 100.0 * static_cast<double>(std::count_if(v.begin(), v.end(), [&](double x) { return x <= limit; })) /
         static_cast<double>(v.size());
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  int faultTrials = 10000;
  int baselineTrials = 10000;
  int lossTrials = 1000;
  int rigs = 5;
  const auto args = app.arguments();
  for (int i = 1; i + 1 < args.size(); i += 2) {
    if (args[i] == QLatin1String("--fault-trials")) faultTrials = args[i + 1].toInt();
    if (args[i] == QLatin1String("--raiser-realtime")) gRaiserRealtime.store(args[i + 1].toInt() != 0);
    if (args[i] == QLatin1String("--sim-realtime")) gSimRealtime.store(args[i + 1].toInt() != 0);
    if (args[i] == QLatin1String("--link-io-fifo")) gLinkIoFifo.store(std::max(0, args[i + 1].toInt()));
    if (args[i] == QLatin1String("--baseline-trials")) baselineTrials = args[i + 1].toInt();
    if (args[i] == QLatin1String("--loss-trials")) lossTrials = args[i + 1].toInt();
    if (args[i] == QLatin1String("--rigs")) rigs = std::max(1, args[i + 1].toInt());
  }

  devices::DriverCatalog catalog;
  catalog.loadDirectory(QStringLiteral(TAUTBAND_PLUGIN_DIR));
  const auto* driver = catalog.find(devices::kNativeDriverId);
  if (!driver) {
    std::fprintf(stderr, "bench_laser_supervisor: native driver plugin not found in %s\n", TAUTBAND_PLUGIN_DIR);
    return 2;
  }

  // ---- Part 1: the main thread is the GUI: heartbeat every 100 ms, frozen 500 ms at random.
  const QString loadBefore = loadAverage();
  FaultResult faults;
  FaultResult baseline;
  int guiBlocks = 0;
  int baselineGuiBlocks = 0;
  const double part1S = runPart1(app, *driver, faultTrials, true, faults, guiBlocks);
  const double part1BaselineS =
      baselineTrials > 0 ? runPart1(app, *driver, baselineTrials, false, baseline, baselineGuiBlocks) : 0.0;

  // ---- Part 2: link loss, several rigs in parallel so 1,000 trials fit the time box.
  LossResult loss;
  std::atomic<int> lossProgress{0};
  QElapsedTimer part2;
  part2.start();
  {
    std::vector<std::thread> workers;
    const int per = (lossTrials + rigs - 1) / rigs;
    for (int r = 0; r < rigs; ++r) {
      const int n = std::min(per, lossTrials - r * per);
      if (n <= 0) break;
      workers.emplace_back([&, n] { runLossTrials(*driver, n, loss, lossProgress); });
    }
    for (auto& w : workers) w.join();
  }
  const double part2S = static_cast<double>(part2.elapsed()) / 1000.0;

  bench::Report report(QStringLiteral("laser_supervisor"));
  const auto n1 = static_cast<int>(faults.faultToOffUs.size());
  const auto over5ms = [](const std::vector<double>& v) {
    return static_cast<double>(std::count_if(v.begin(), v.end(), [](double us) { return us > 5000; }));
  };
  // Baseline: the same trials with the real-time request off (SCHED_OTHER), in this run.
  const auto base = [&](double pct) -> std::optional<bench::Baseline> {
    if (baseline.faultToOffUs.empty()) return std::nullopt;
    return bench::Baseline{QStringLiteral("same trials, supervisor SCHED_OTHER"),
                           bench::percentile(baseline.faultToOffUs, pct), QStringLiteral("us")};
  };
  report.add({QStringLiteral("fault_to_emission_off_p50"), QStringLiteral("us"), bench::percentile(faults.faultToOffUs, 50),
              QStringLiteral("p50"), n1, base(50), std::nullopt});
  report.add({QStringLiteral("fault_to_emission_off_p99"), QStringLiteral("us"), bench::percentile(faults.faultToOffUs, 99),
              QStringLiteral("p99"), n1, base(99), bench::Target{QStringLiteral("<="), 1000, QStringLiteral("us")}});
  report.add({QStringLiteral("fault_to_emission_off_max"), QStringLiteral("us"), bench::percentile(faults.faultToOffUs, 100),
              QStringLiteral("max"), n1, base(100), bench::Target{QStringLiteral("<="), 5000, QStringLiteral("us")}});
  report.add({QStringLiteral("fault_to_emission_off_p999"), QStringLiteral("us"),
              bench::percentile(faults.faultToOffUs, 99.9), QStringLiteral("p99.9"), n1, base(99.9), std::nullopt});
  report.add({QStringLiteral("fault_to_emission_off_over_5ms"), QStringLiteral("trials"), over5ms(faults.faultToOffUs),
              QStringLiteral("count"), n1,
              baseline.faultToOffUs.empty()
                  ? std::nullopt
                  : std::optional<bench::Baseline>(bench::Baseline{QStringLiteral("same trials, supervisor SCHED_OTHER"),
                                                                   over5ms(baseline.faultToOffUs), QStringLiteral("trials")}),
              std::nullopt});
  report.add({QStringLiteral("bare_safety_path_write_p50"), QStringLiteral("us"), bench::percentile(faults.bareWriteUs, 50),
              QStringLiteral("p50"), static_cast<int>(faults.bareWriteUs.size()), std::nullopt, std::nullopt});
  report.add({QStringLiteral("fault_trials_completed"), QStringLiteral("trials"), static_cast<double>(n1),
              QStringLiteral("count"), n1, std::nullopt, std::nullopt});
  const auto n2 = static_cast<int>(loss.detectMs.size());
  report.add({QStringLiteral("link_loss_detect_p50"), QStringLiteral("ms"), bench::percentile(loss.detectMs, 50),
              QStringLiteral("p50"), n2, std::nullopt, std::nullopt});
  report.add({QStringLiteral("link_loss_detect_max"), QStringLiteral("ms"), bench::percentile(loss.detectMs, 100),
              QStringLiteral("max"), n2, std::nullopt, std::nullopt});
  report.add({QStringLiteral("link_loss_detected_within_200ms"), QStringLiteral("%"), fractionAtMost(loss.detectMs, 200),
              QStringLiteral("fraction"), n2, std::nullopt, bench::Target{QStringLiteral(">="), 99.9, QStringLiteral("%")}});
  report.add({QStringLiteral("link_loss_from_stall_command_within_200ms"), QStringLiteral("%"),
              fractionAtMost(loss.commandToFaultMs, 200), QStringLiteral("fraction"), n2, std::nullopt, std::nullopt});
  report.add({QStringLiteral("link_loss_from_stall_command_max"), QStringLiteral("ms"),
              bench::percentile(loss.commandToFaultMs, 100), QStringLiteral("max"), n2, std::nullopt, std::nullopt});
  report.add({QStringLiteral("device_watchdog_off_p50"), QStringLiteral("ms"), bench::percentile(loss.watchdogMs, 50),
              QStringLiteral("p50"), n2, std::nullopt, std::nullopt});
  report.add({QStringLiteral("device_watchdog_off_max"), QStringLiteral("ms"), bench::percentile(loss.watchdogMs, 100),
              QStringLiteral("max"), n2, std::nullopt, std::nullopt});
  report.add({QStringLiteral("device_watchdog_off_within_320ms"), QStringLiteral("%"), fractionAtMost(loss.watchdogMs, 320),
              QStringLiteral("fraction"), n2, std::nullopt, bench::Target{QStringLiteral(">="), 99.9, QStringLiteral("%")}});
  report.add({QStringLiteral("link_loss_trials_completed"), QStringLiteral("trials"), static_cast<double>(n2),
              QStringLiteral("count"), n2, std::nullopt, std::nullopt});
  report.setNotes(QStringLiteral(
      "Serial over a pty to tautband-sim laser through the native driver plugin. Part 1: %1 faults (RuleChanged via "
      "raiseFault from a driver thread) while emitting, warning delay 0; GUI (main) thread blocked 500 ms %2 times "
      "during %3 s; %4 figures lost to a later fault overwriting the snapshot, %5 trials did not reach emission. "
      "Figure = supervisor's lastFaultToOffUs (raise -> emission-off write returned), supervisor thread: %15. "
      "Baseline = %16 trials of the same with the real-time request off (%17; %18 s, GUI blocked %19 times). "
      "Part 2: %6 trials on %7 rigs in parallel (%8 s): 'stall 450' to the "
      "simulator (no status out, no bytes read); detect = the simulator stalled (its steady clock, same machine) -> "
      "supervisor state Fault (link_loss_from_stall_command_* time it from before the bench thread wrote the command); watchdog = "
      "simulator's since_keep_alive_us when it stopped emission (%9 ended by something other than the watchdog, %10 "
      "failed to start, %11 had stopped before the stall and were not counted). Load average before/after: %12 / %13 "
      "(2 cores shared with other builds); nice %14. Simulator thread SCHED_FIFO 10 granted for %20 rigs, refused "
      "for %21 (off with --sim-realtime 0). Link I/O thread: %22 (asked by a real-time supervisor; --link-io-fifo N). The supervisor times status "
      "silence from the bytes' arrival (read() on the link's I/O thread). No BLE figure here: see the Bluetooth bench.")
                       .arg(faultTrials)
                       .arg(guiBlocks)
                       .arg(part1S, 0, 'f', 0)
                       .arg(faults.lost)
                       .arg(faults.failed)
                       .arg(lossTrials)
                       .arg(rigs)
                       .arg(part2S, 0, 'f', 0)
                       .arg(loss.watchdogNotFirst)
                       .arg(loss.failed)
                       .arg(loss.notEmitting)
                       .arg(loadBefore, loadAverage())
                       .arg(getpriority(PRIO_PROCESS, 0))
                       .arg(faults.scheduling)
                       .arg(static_cast<int>(baseline.faultToOffUs.size()))
                       .arg(baseline.scheduling.isEmpty() ? QStringLiteral("not run") : baseline.scheduling)
                       .arg(part1BaselineS, 0, 'f', 0)
                       .arg(baselineGuiBlocks)
                       .arg(gSimRealtimeGranted.load())
                       .arg(gSimRealtimeRefused.load())
                       .arg(gLinkIoFifo.load() > 0 ? QStringLiteral("SCHED_FIFO %1 requested").arg(gLinkIoFifo.load())
                                                   : QStringLiteral("SCHED_OTHER")));
  return report.finish();
}
