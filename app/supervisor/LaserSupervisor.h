#pragma once

#include "devices/link/DeviceLink.h"
#include "devices/link/PriorityInheritanceMutex.h"
#include "safety/LaserArming.h"
#include "supervisor/FaultMailbox.h"
#include "supervisor/RealtimeScheduling.h"

#include <QJsonObject>
#include <QObject>
#include <QThread>

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace tautband::supervisor {

namespace proto = ::tautband::device::v1;
using safety::ArmingState;
using safety::ChecklistItem;

// What the therapist asked to deliver at one point.
struct EmissionPlan {
  std::uint32_t wavelengthNm = 808;
  proto::LaserMode mode = proto::LASER_MODE_CW;
  std::uint32_t powerMw = 0;
  std::uint32_t frequencyHz = 0;    // pulsed only
  std::uint32_t dutyPermille = 1000;
  double targetEnergyJ = 0;         // auto-stop at this delivered energy (from measured power)
  double maxSeconds = 0;            // hard cap, also sent to the device as EmitOn.max_duration_ms
};

// A consistent copy of the supervisor's state for the GUI.
struct SupervisorSnapshot {
  ArmingState state = ArmingState::Disarmed;
  std::array<bool, safety::kChecklistItemCount> items{};
  bool linkConnected = false;
  bool statusFresh = false;
  bool firmwareWatchdog = false;
  double measuredPowerMw = 0;
  double deliveredJ = 0;
  double targetJ = 0;
  double elapsedS = 0;
  std::optional<double> warningRemainingS;
  std::int64_t warningDelayMs = 0;                // the delay the current or next warning uses
  std::optional<std::int64_t> pendingWarningDelayMs;  // a changed delay waiting for this arming to end
  QString lastFault;         // plain words, empty when none
  QString lastEvent;         // the most recent decision, for the screen
  std::int64_t lastFaultToOffUs = -1;  // fault raised -> emission-off bytes written
  bool realtime = false;     // the supervisor thread got SCHED_FIFO
  QString scheduling;        // what it got, in words (SchedulingReport::describe)
};

// Test hook: where the fault path is. Called on the supervisor thread when a
// fault is taken up (Detected) and when the emission-off write has returned
// (EmissionOffWritten); nothing else may happen in between (no allocation,
// no logging, no lock but the write path's own).
enum class FaultPathPoint { Detected, EmissionOffWritten };
using FaultPathProbe = std::function<void(FaultPathPoint)>;

using AuditFn = std::function<void(const QString& action, const QJsonObject& details)>;

// The only code that can make a laser emit (BRIEF §4). It runs on its own
// thread: feeds the pure arming state machine (safety::LaserArming), sends
// keep-alives every 50 ms while emitting, watches device status (three
// missed reports = fault), the link, the GUI's heartbeat (silent for 1 s
// while emitting = fault) and E-STOP. On any fault it writes the emission-off
// bytes FIRST through the link's direct safety path, then records and
// reports. Every decision goes to the audit function with why.
class LaserSupervisor : public QObject {
  Q_OBJECT
 public:
  struct Options {
    std::chrono::milliseconds warningDelay{2000};
    std::chrono::milliseconds keepAliveInterval{50};
    // No LaserStatus ARRIVED on the wire for this long = three missed reports.
    // Timed from the bytes' read() on the link's I/O thread, not from when the
    // report reaches this thread (docs/SAFETY.md "Status silence").
    std::chrono::milliseconds statusTimeout{150};
    // While bytes keep arriving but the driver has not yet decoded them, a
    // status may be overdue by at most this much more before it is a fault
    // (a driver that far behind cannot confirm the laser is reporting).
    std::chrono::milliseconds statusDecodeGrace{100};
    std::chrono::milliseconds guiTimeout{1000};
    std::chrono::milliseconds tick{5};
    // SCHED_FIFO for the supervisor thread where the OS allows it.
    SchedulingRequest scheduling{};
    // SCHED_FIFO priority asked for the attached link's I/O thread (below this
    // thread's 20; its reads stamp the status arrival times), 0 = leave it.
    // Only when this thread got real-time. Never the codec thread: it runs driver code.
    int linkIoFifoPriority = 15;
    FaultPathProbe faultPathProbe;  // tests only; empty in the product
  };

  LaserSupervisor(Options options, AuditFn audit, QObject* parent = nullptr);
  ~LaserSupervisor() override;

  // All of these are safe from any thread; they queue to the supervisor thread.
  void attachLink(devices::DeviceLink* link);
  // Detaches the current link and returns only when the supervisor thread
  // has let go of it: call it before a link object is destroyed.
  void detachLinkNow();
  void setChecklistItem(ChecklistItem item, bool value, const QString& who);
  void beginChecklist(const QString& who);
  void arm(const QString& who);
  void requestEmission(const EmissionPlan& plan, const QString& who);
  void pause(const QString& who);
  void resume(const QString& who);
  void stop(const QString& who);
  void disarm(const QString& who);
  void resetFault(const QString& who);
  // A raised fault from elsewhere (e.g. a rule change): emission off, then Fault.
  // Allocates nothing and posts no event: the fault goes into a fixed slot and
  // an eventfd wakes the supervisor thread, which writes emission-off first.
  void raiseFault(safety::FaultReason reason, const QString& detail);
  // The clinic changed laser_warning_delay_s (21 CFR 1040.10(f)). Decided on the supervisor
  // thread: applied at once when no arming is under way (Disarmed, Checklist, Done, Fault);
  // while Armed, in Warning, Emitting or Paused it waits until that arming ends, so a running
  // warning is never shortened and a resume warns as long as the first warning did. Audited
  // (laser.warning_delay) with who changed it, when it was asked for and when it applies.
  void setWarningDelay(std::chrono::milliseconds delay, const QString& who);

  // The GUI thread calls this at least every few hundred ms; lock-free.
  void guiHeartbeat();

  // E-STOP: writes emission-off at once, in the caller's thread, through the
  // link's safety path; then faults the state machine. Returns what happened.
  QString emergencyStop(const QString& who);

  SupervisorSnapshot snapshot() const;
  // What the supervisor thread got from the OS; valid once constructed.
  SchedulingReport scheduling() const;

 signals:
  void changed();

 private:
  class Worker;
  FaultMailbox mailbox_;  // before the thread: the worker watches its fd
  QThread thread_;
  Worker* worker_ = nullptr;
  std::shared_ptr<devices::SafetyWritePath> currentPath() const;
  // Shared between the supervisor thread and E-STOP callers: priority inheritance.
  mutable devices::PriorityInheritanceMutex pathMutex_;
  std::shared_ptr<devices::SafetyWritePath> path_;
  friend class Worker;
};

}  // namespace tautband::supervisor
