#include "supervisor/LaserSupervisor.h"

#include "core/Logging.h"

#include <QJsonArray>
#include <QMetaObject>
#include <QSemaphore>
#include <QSocketNotifier>
#include <QTimer>

namespace tautband::supervisor {
namespace {

using Clock = std::chrono::steady_clock;
using safety::ArmingEvent;
using safety::ArmingInput;
using safety::ArmingOutput;
using safety::FaultReason;

auto log() { return core::logger(core::subsystem::kSafety); }

QString faultText(FaultReason reason) {
  switch (reason) {
    case FaultReason::LinkLost: return QStringLiteral("the laser's link was lost");
    case FaultReason::DeviceFault: return QStringLiteral("the laser reported a fault");
    case FaultReason::EmergencyStop: return QStringLiteral("E-STOP pressed");
    case FaultReason::GuiUnresponsive: return QStringLiteral("the screen stopped answering");
    case FaultReason::RuleChanged: return QStringLiteral("a safety rule changed");
    case FaultReason::StatusTimeout: return QStringLiteral("the laser stopped reporting its status");
    case FaultReason::None: break;
  }
  return QStringLiteral("fault");
}

QString itemText(ChecklistItem item) { return QString::fromUtf8(safety::toString(item).data(), static_cast<qsizetype>(safety::toString(item).size())); }
QString stateText(ArmingState s) { return QString::fromUtf8(safety::toString(s).data(), static_cast<qsizetype>(safety::toString(s).size())); }

std::int64_t nowNs() { return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count(); }

}  // namespace

class LaserSupervisor::Worker : public QObject {
 public:
  Worker(LaserSupervisor& owner, Options options, AuditFn audit)
      : owner_(owner), options_(options), audit_(std::move(audit)), arming_(options.warningDelay) {}

  // ----- on the supervisor thread -----
  void start() {
    // Scheduling first: everything after runs as the safety thread will.
    const auto report = applySafetyThreadScheduling(options_.scheduling);
    // The fault path's stack pages exist before the first fault needs them.
    prefaultStack(128 * 1024);
    {
      std::lock_guard lock(mutex_);
      scheduling_ = report;
      snapshot_.realtime = report.realtime();
      snapshot_.scheduling = QString::fromStdString(report.describe());
    }
    if (report.realtime()) {
      log()->info("safety supervisor thread: {}", report.describe());
    } else if (report.requested) {
      // The one warning a manager needs: see docs/SAFETY.md "Scheduling".
      log()->warn("safety supervisor runs WITHOUT real-time guarantees: {}. Grant CAP_SYS_NICE or LimitRTPRIO "
                  "(packaging/tautband.service) for SCHED_FIFO.",
                  report.describe());
    }
    if (owner_.mailbox_.fd() >= 0) {
      faultNotifier_ = new QSocketNotifier(static_cast<qintptr>(owner_.mailbox_.fd()), QSocketNotifier::Read, this);
      connect(faultNotifier_, &QSocketNotifier::activated, this, [this] { takeRaisedFaults(); });
    } else {
      log()->error("no eventfd for raised faults; they are taken up on the next tick");
    }
    tick_ = new QTimer(this);
    tick_->setTimerType(Qt::PreciseTimer);
    tick_->setInterval(options_.tick);
    connect(tick_, &QTimer::timeout, this, [this] { onTick(); });
    tick_->start();
    lastGuiNs_.store(nowNs());
  }

  void attach(devices::DeviceLink* link) {
    if (link_) link_->disconnect(this);
    link_ = link;
    {
      std::lock_guard lock(owner_.pathMutex_);
      owner_.path_ = link ? link->safetyPath() : nullptr;
    }
    if (!link) return;
    connect(link, &devices::DeviceLink::messageReceived, this,
            [this](const std::shared_ptr<const proto::Envelope>& m, qint64 arrivalNs) { onMessage(*m, arrivalNs); });
    connect(link, &devices::DeviceLink::stateChanged, this, [this](devices::LinkState state, const QString& detail) {
      linkConnected_ = state == devices::LinkState::Connected;
      if (!linkConnected_ && armedOrBeyond()) fault(FaultReason::LinkLost, detail, nowNs());
      setItem(ChecklistItem::DeviceHealthy, healthy(), QStringLiteral("device"));
      publish();
    });
    if (scheduling_.realtime()) link->requestIoThreadFifoPriority(options_.linkIoFifoPriority);
    linkConnected_ = link->health().state == devices::LinkState::Connected;
    const auto info = link->deviceInfo();
    firmwareWatchdog_ = info && info->laser().firmware_watchdog();
    record(QStringLiteral("laser.link_attached"),
           {{"link", link->name()}, {"firmware_watchdog", firmwareWatchdog_}});
    publish();
  }

  void event(ArmingEvent event, const QString& who, const QJsonObject& extra = {}) {
    ArmingInput input;
    input.event = event;
    input.now = Clock::now();
    step(input, who, extra);
  }

  void setItem(ChecklistItem item, bool value, const QString& who) {
    if (arming_.itemHolds(item) == value && seenItem_[static_cast<std::size_t>(item)]) return;
    seenItem_[static_cast<std::size_t>(item)] = true;
    ArmingInput input;
    input.event = ArmingEvent::ItemChanged;
    input.item = item;
    input.itemValue = value;
    input.now = Clock::now();
    step(input, who, {{"item", itemText(item)}, {"value", value}});
  }

  void requestEmission(const EmissionPlan& plan, const QString& who) {
    plan_ = plan;
    delivered_ = 0;
    emittingS_ = 0;
    event(ArmingEvent::RequestEmission, who,
          {{"power_mw", static_cast<double>(plan.powerMw)}, {"wavelength_nm", static_cast<double>(plan.wavelengthNm)},
           {"target_j", plan.targetEnergyJ}, {"max_s", plan.maxSeconds}});
  }

  void fault(FaultReason reason, const QString& detail, std::int64_t raisedNs) {
    faultWith(reason, raisedNs, [&] { return detail; });
  }

  // makeDetail runs only after the emission-off write returned: nothing that
  // allocates, formats or logs comes before the write.
  template <class MakeDetail>
  void faultWith(FaultReason reason, std::int64_t raisedNs, MakeDetail&& makeDetail) {
    probe(FaultPathPoint::Detected);
    // Emission off FIRST, through the bytes encoded at connect; then the rest.
    const auto off = writeEmissionOff();
    const auto offNs = nowNs();
    probe(FaultPathPoint::EmissionOffWritten);
    const QString detail = makeDetail();
    ArmingInput input;
    input.event = ArmingEvent::Fault;
    input.fault = reason;
    input.now = Clock::now();
    {
      std::lock_guard lock(mutex_);
      snapshot_.lastFault = detail.isEmpty() ? faultText(reason) : faultText(reason) + QStringLiteral(": ") + detail;
      snapshot_.lastFaultToOffUs = (offNs - raisedNs) / 1000;
    }
    log()->error("laser fault: {} ({}); emission-off {}", faultText(reason).toStdString(), detail.toStdString(),
                 off ? "written" : "NOT written");
    step(input, QStringLiteral("supervisor"),
         {{"reason", faultText(reason)}, {"detail", detail}, {"emission_off_written", off},
          {"fault_to_off_us", static_cast<double>((offNs - raisedNs) / 1000)}});
  }

  void heartbeat() { lastGuiNs_.store(nowNs(), std::memory_order_relaxed); }

  void setWarningDelay(std::chrono::milliseconds delay, const QString& who) {
    if (delay.count() <= 0) {
      log()->error("warning delay of {} ms refused: 21 CFR 1040.10(f) needs a warning before emission", delay.count());
      return;
    }
    const auto current = arming_.warningDelay();
    if (armedOrBeyond()) {
      // Never change the arming under way: its warning (or its resume's) keeps the delay it began with.
      if (delay == current && !pendingDelay_) return;
      pendingDelay_ = delay;
      pendingDelayBy_ = who;
      record(QStringLiteral("laser.warning_delay"),
             {{"from_ms", static_cast<double>(current.count())}, {"to_ms", static_cast<double>(delay.count())},
              {"applied", false}, {"applies", QStringLiteral("when the current arming ends")},
              {"state", stateText(arming_.state())}},
             who);
      publish();
      return;
    }
    pendingDelay_.reset();
    if (delay == current) return;
    applyWarningDelay(delay, who);
    publish();
  }

  // Faults posted by other threads (raiseFault, E-STOP): all of them, oldest first. Also
  // called before every queued request, so a fault raised before a request (e.g. the
  // RuleChanged fault before the re-evaluated checklist items) is always handled first.
  void takeRaisedFaults() {
    const std::size_t n = owner_.mailbox_.take(raised_);
    for (std::size_t i = 0; i < n; ++i) fault(raised_[i].reason, raised_[i].detail, raised_[i].raisedNs);
    if (const auto lost = owner_.mailbox_.overflowed(); lost != reportedOverflow_) {
      log()->warn("{} raised faults arrived while {} were pending and were folded into them", lost - reportedOverflow_,
                  FaultMailbox::kCapacity);
      reportedOverflow_ = lost;
    }
  }

  SchedulingReport scheduling() const {
    std::lock_guard lock(mutex_);
    return scheduling_;
  }

  SupervisorSnapshot snapshot() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
  }

 private:
  bool armedOrBeyond() const {
    const auto s = arming_.state();
    return s == ArmingState::Armed || s == ArmingState::Warning || s == ArmingState::Emitting || s == ArmingState::Paused;
  }

  void applyWarningDelay(std::chrono::milliseconds delay, const QString& who) {
    const auto before = arming_.warningDelay();
    arming_.setWarningDelay(delay);
    record(QStringLiteral("laser.warning_delay"),
           {{"from_ms", static_cast<double>(before.count())}, {"to_ms", static_cast<double>(delay.count())},
            {"applied", true}, {"state", stateText(arming_.state())}},
           who);
  }

  // A delay that waited for the arming to end applies as soon as it has ended.
  void applyPendingWarningDelay() {
    if (!pendingDelay_ || armedOrBeyond()) return;
    const auto delay = *pendingDelay_;
    pendingDelay_.reset();
    if (delay != arming_.warningDelay()) applyWarningDelay(delay, pendingDelayBy_);
  }

  bool healthy() const {
    return linkConnected_ && statusFresh_ && lastStatus_ && lastStatus_->faults_size() == 0 &&
           lastStatus_->emission() != proto::EMISSION_STATE_FAULT;
  }

  void probe(FaultPathPoint point) const {
    if (options_.faultPathProbe) options_.faultPathProbe(point);
  }

  bool writeEmissionOff() {
    auto path = owner_.currentPath();
    if (!path) return false;
    const auto result = path->sendEmissionOff();
    if (result.ok) lastOffNs_ = nowNs();
    return result.ok;
  }

  void sendCommand(auto&& fill) {
    if (!link_) return;
    proto::Envelope e;
    e.mutable_laser_command()->set_request_id(++requestId_);
    fill(*e.mutable_laser_command());
    link_->send(e);
  }

  void step(const ArmingInput& input, const QString& who, const QJsonObject& extra) {
    const auto result = arming_.handle(input);
    if (result.ignored) {
      if (input.event != ArmingEvent::Tick && input.event != ArmingEvent::ItemChanged) {
        QJsonObject details = extra;
        details.insert(QStringLiteral("event"), QString::fromUtf8(safety::toString(input.event).data()));
        details.insert(QStringLiteral("state"), stateText(arming_.state()));
        record(QStringLiteral("laser.request_ignored"), details, who);
      }
      publish();
      return;
    }
    // Outputs first: an item lost while emitting is an EmissionOff, written
    // before anything here formats or allocates.
    for (const auto output : result.outputs) execute(output, who);
    if (result.to == ArmingState::Fault && result.from != ArmingState::Fault && input.event == ArmingEvent::ItemChanged) {
      std::lock_guard lock(mutex_);
      snapshot_.lastFault = QStringLiteral("checklist item lost: %1").arg(itemText(input.item));
    }
    if (result.from != result.to || input.event == ArmingEvent::ItemChanged) {
      QJsonObject details = extra;
      details.insert(QStringLiteral("event"), QString::fromUtf8(safety::toString(input.event).data()));
      details.insert(QStringLiteral("from"), stateText(result.from));
      details.insert(QStringLiteral("to"), stateText(result.to));
      if (input.event != ArmingEvent::Tick || result.from != result.to) {
        record(input.event == ArmingEvent::ItemChanged ? QStringLiteral("laser.checklist") : QStringLiteral("laser.state"),
               details, who);
      }
    }
    if (result.to == ArmingState::Armed && result.from == ArmingState::Checklist) armDevice();
    if (result.to == ArmingState::Disarmed && result.from != ArmingState::Disarmed) {
      writeEmissionOff();  // disarming also takes the device out of Armed
    }
    publish();
  }

  void armDevice() {
    sendCommand([&](auto& c) { c.mutable_set_wavelength()->set_wavelength_nm(plan_.wavelengthNm); });
    sendCommand([&](auto& c) { c.mutable_arm()->set_armed(true); });
  }

  void execute(ArmingOutput output, const QString& who) {
    switch (output) {
      case ArmingOutput::EmitOn: {
        sendCommand([&](auto& c) { c.mutable_set_mode()->set_mode(plan_.mode); });
        sendCommand([&](auto& c) { c.mutable_set_power()->set_power_mw(plan_.powerMw); });
        if (plan_.mode == proto::LASER_MODE_PULSED) {
          sendCommand([&](auto& c) { c.mutable_set_frequency()->set_frequency_hz(plan_.frequencyHz); });
          sendCommand([&](auto& c) { c.mutable_set_duty()->set_duty_permille(plan_.dutyPermille); });
        }
        sendCommand([&](auto& c) {
          c.mutable_emit_on()->set_max_duration_ms(static_cast<std::uint32_t>(plan_.maxSeconds * 1000));
        });
        lastKeepAliveNs_ = 0;
        record(QStringLiteral("laser.emission_on"),
               {{"power_mw", static_cast<double>(plan_.powerMw)}, {"target_j", plan_.targetEnergyJ}}, who);
        break;
      }
      case ArmingOutput::EmissionOff: {
        const bool ok = writeEmissionOff();
        record(QStringLiteral("laser.emission_off"), {{"written", ok}, {"delivered_j", delivered_}}, who);
        break;
      }
      case ArmingOutput::StartWarning:
        record(QStringLiteral("laser.warning"), {{"delay_ms", static_cast<double>(arming_.warningDelay().count())}}, who);
        break;
      case ArmingOutput::CancelWarning:
        break;
      case ArmingOutput::ArmRefused: {
        QJsonArray missing;
        for (const auto item : arming_.missingItems()) missing.append(itemText(item));
        record(QStringLiteral("laser.arm_refused"), {{"missing", missing}}, who);
        break;
      }
    }
  }

  void onMessage(const proto::Envelope& m, std::int64_t arrivalNs) {
    if (!m.has_laser_status()) return;
    const auto receivedNs = nowNs();
    // The wire's time when the link knows it; a message without one (injected)
    // counts from now.
    const auto arrivedNs = arrivalNs > 0 ? std::min(arrivalNs, receivedNs) : receivedNs;
    lastStatusNs_ = std::max(lastStatusNs_, arrivedNs);
    // A report that arrived in time is fresh however late the host's threads
    // handed it on; one that arrived too long ago is not.
    if (receivedNs - lastStatusNs_ <= std::chrono::nanoseconds(options_.statusTimeout).count()) statusFresh_ = true;
    // Faults first, from the message itself: copying it (below) may allocate,
    // and nothing that allocates comes before an emission-off write.
    const auto& s = m.laser_status();
    const bool deviceEmitting = s.emission() == proto::EMISSION_STATE_EMITTING;
    const auto state = arming_.state();
    // A report the device sent before it read our emission-off is still in
    // flight for a few status periods: write emission-off again (it is
    // idempotent) and only call it a fault when it persists.
    const bool offRecently = lastOffNs_ && arrivedNs - lastOffNs_ < kOffGraceNs;
    if (deviceEmitting && state != ArmingState::Emitting && state != ArmingState::Warning) {
      if (offRecently) {
        writeEmissionOff();
      } else {
        fault(FaultReason::DeviceFault, QStringLiteral("the device emits without a request"), receivedNs);
      }
    } else if (armedOrBeyond() && (s.emission() == proto::EMISSION_STATE_FAULT || s.faults_size() > 0)) {
      faultWith(FaultReason::DeviceFault, receivedNs, [&] {
        return QString::fromStdString(s.faults_size() ? proto::FaultCode_Name(s.faults(0)) : "FAULT");
      });
    }
    lastStatus_ = s;
    setItem(ChecklistItem::InterlockClosed, s.interlock_closed(), QStringLiteral("device"));
    setItem(ChecklistItem::KeyOn, s.key_on(), QStringLiteral("device"));
    setItem(ChecklistItem::DeviceHealthy, healthy(), QStringLiteral("device"));
    publish();
  }

  void onTick() {
    if (!faultNotifier_) takeRaisedFaults();  // no eventfd: raised faults wait at most one tick
    const auto now = nowNs();
    const double dt = lastTickNs_ ? static_cast<double>(now - lastTickNs_) / 1e9 : 0.0;
    lastTickNs_ = now;
    const auto state = arming_.state();
    // Three missed status reports.
    if (statusFresh_) {
      if (const auto silence = statusSilence(now); silence != Silence::None) {
        statusFresh_ = false;
        if (armedOrBeyond()) {
          faultWith(FaultReason::StatusTimeout, now, [&] { return silenceText(silence, now); });
        }
        setItem(ChecklistItem::DeviceHealthy, false, QStringLiteral("supervisor"));
      }
    }
    if (state == ArmingState::Emitting) {
      // The therapist can no longer see the indicator: stop.
      if (now - lastGuiNs_.load(std::memory_order_relaxed) > std::chrono::nanoseconds(options_.guiTimeout).count()) {
        fault(FaultReason::GuiUnresponsive, QString(), now);
        return;
      }
      if (now - lastKeepAliveNs_ >= std::chrono::nanoseconds(options_.keepAliveInterval).count()) {
        if (auto path = owner_.currentPath()) path->sendKeepAlive();
        lastKeepAliveNs_ = now;
      }
      // Dose from measured power.
      const double powerW = lastStatus_ ? std::max(0.0f, lastStatus_->measured_power_mw()) / 1000.0 : 0.0;
      delivered_ += powerW * dt;
      emittingS_ += dt;
      if ((plan_.targetEnergyJ > 0 && delivered_ >= plan_.targetEnergyJ) ||
          (plan_.maxSeconds > 0 && emittingS_ >= plan_.maxSeconds)) {
        event(ArmingEvent::DoseReached, QStringLiteral("supervisor"), {{"delivered_j", delivered_}, {"seconds", emittingS_}});
        return;
      }
    }
    ArmingInput tick;
    tick.event = ArmingEvent::Tick;
    tick.now = Clock::now();
    const auto result = arming_.handle(tick);
    if (!result.ignored) {
      for (const auto output : result.outputs) execute(output, QStringLiteral("supervisor"));
      if (result.from != result.to) {
        record(QStringLiteral("laser.state"), {{"event", "Tick"}, {"from", stateText(result.from)}, {"to", stateText(result.to)}},
               QStringLiteral("supervisor"));
      }
    }
    if (++ticksSincePublish_ >= 10) publish();
  }

  enum class Silence { None, NoStatusArrived, NoStatusInDecodedBytes, DriverTooFarBehind };

  // "No status ARRIVED for statusTimeout", from arrival times the link's I/O
  // and codec threads publish lock-free; allocation-free (runs every tick).
  // A status is overdue when the newest one known arrived more than the
  // timeout ago. It is a fault once nothing still undecoded can be it: the
  // driver has decoded every byte read (or bytes past the deadline), or the
  // newest undecoded bytes themselves arrived more than the timeout ago (the
  // wire is silent, whatever the codec thread is doing). While fresh bytes
  // wait for a slow driver, it gets statusDecodeGrace more, then it is a fault.
  Silence statusSilence(std::int64_t now) {
    const auto timeout = std::chrono::nanoseconds(options_.statusTimeout).count();
    const auto arrival = link_ ? link_->arrivalTimes() : devices::ArrivalTimes{};
    const auto newestStatus = std::max(lastStatusNs_, arrival.lastStatusNs);
    if (now - newestStatus <= timeout) return Silence::None;
    if (arrival.caughtUp() || now - arrival.lastBytesNs > timeout) return Silence::NoStatusArrived;
    if (arrival.decodedThroughNs - newestStatus > timeout) return Silence::NoStatusInDecodedBytes;
    if (now - newestStatus > timeout + std::chrono::nanoseconds(options_.statusDecodeGrace).count()) {
      return Silence::DriverTooFarBehind;
    }
    return Silence::None;
  }

  QString silenceText(Silence silence, std::int64_t now) const {
    const auto arrival = link_ ? link_->arrivalTimes() : devices::ArrivalTimes{};
    const auto sinceMs = (now - std::max(lastStatusNs_, arrival.lastStatusNs)) / 1'000'000;
    switch (silence) {
      case Silence::NoStatusArrived:
        return QStringLiteral("no status arrived for %1 ms").arg(sinceMs);
      case Silence::NoStatusInDecodedBytes:
        return QStringLiteral("no status among the bytes of the last %1 ms").arg(sinceMs);
      case Silence::DriverTooFarBehind:
        return QStringLiteral("no status decoded for %1 ms; the driver is %2 ms behind the wire")
            .arg(sinceMs)
            .arg((arrival.lastBytesNs - arrival.decodedThroughNs) / 1'000'000);
      case Silence::None: break;
    }
    return {};
  }

  void record(const QString& action, const QJsonObject& details, const QString& who = QStringLiteral("supervisor")) {
    QJsonObject d = details;
    d.insert(QStringLiteral("by"), who);
    if (audit_) audit_(action, d);
    std::lock_guard lock(mutex_);
    snapshot_.lastEvent = action;
  }

  void publish() {
    applyPendingWarningDelay();
    ticksSincePublish_ = 0;
    {
      std::lock_guard lock(mutex_);
      snapshot_.state = arming_.state();
      for (std::size_t i = 0; i < safety::kChecklistItemCount; ++i) {
        snapshot_.items[i] = arming_.itemHolds(static_cast<ChecklistItem>(i));
      }
      snapshot_.linkConnected = linkConnected_;
      snapshot_.statusFresh = statusFresh_;
      snapshot_.firmwareWatchdog = firmwareWatchdog_;
      snapshot_.measuredPowerMw = lastStatus_ ? lastStatus_->measured_power_mw() : 0;
      snapshot_.deliveredJ = delivered_;
      snapshot_.targetJ = plan_.targetEnergyJ;
      snapshot_.elapsedS = emittingS_;
      snapshot_.warningDelayMs = arming_.warningDelay().count();
      snapshot_.pendingWarningDelayMs = pendingDelay_ ? std::optional<std::int64_t>(pendingDelay_->count()) : std::nullopt;
      if (const auto deadline = arming_.warningDeadline(); deadline && arming_.state() == ArmingState::Warning) {
        snapshot_.warningRemainingS = std::chrono::duration<double>(*deadline - Clock::now()).count();
      } else {
        snapshot_.warningRemainingS.reset();
      }
    }
    emit owner_.changed();
  }

  LaserSupervisor& owner_;
  Options options_;
  AuditFn audit_;
  safety::LaserArming arming_;
  QTimer* tick_ = nullptr;
  QSocketNotifier* faultNotifier_ = nullptr;
  FaultMailbox::Batch raised_;
  std::uint64_t reportedOverflow_ = 0;
  SchedulingReport scheduling_;
  devices::DeviceLink* link_ = nullptr;
  bool linkConnected_ = false;
  bool firmwareWatchdog_ = false;
  bool statusFresh_ = false;
  std::optional<proto::LaserStatus> lastStatus_;
  std::int64_t lastStatusNs_ = 0;
  std::int64_t lastOffNs_ = 0;
  // Four status periods: reports already on the wire when emission-off was written.
  static constexpr std::int64_t kOffGraceNs = 200'000'000;
  std::int64_t lastTickNs_ = 0;
  std::int64_t lastKeepAliveNs_ = 0;
  std::atomic<std::int64_t> lastGuiNs_{0};
  std::array<bool, safety::kChecklistItemCount> seenItem_{};
  std::optional<std::chrono::milliseconds> pendingDelay_;  // waits for the arming under way to end
  QString pendingDelayBy_;
  EmissionPlan plan_;
  double delivered_ = 0;
  double emittingS_ = 0;
  std::uint32_t requestId_ = 1000;
  int ticksSincePublish_ = 0;
  mutable std::mutex mutex_;
  SupervisorSnapshot snapshot_;
};

LaserSupervisor::LaserSupervisor(Options options, AuditFn audit, QObject* parent) : QObject(parent) {
  worker_ = new Worker(*this, options, std::move(audit));
  worker_->moveToThread(&thread_);
  thread_.setObjectName(QStringLiteral("safety-supervisor"));
  QSemaphore started;
  // Direct: runs in the new thread before its event loop, so scheduling() is
  // valid when the constructor returns.
  connect(&thread_, &QThread::started, worker_, [this, &started] {
    worker_->start();
    started.release();
  }, Qt::DirectConnection);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  // The priority comes from applySafetyThreadScheduling in start(): Qt's
  // TimeCriticalPriority is a no-op under SCHED_OTHER on Linux.
  thread_.start();
  started.acquire();
}

LaserSupervisor::~LaserSupervisor() {
  // Leaving: nothing may keep emitting.
  if (auto path = currentPath()) path->sendEmissionOff();
  thread_.quit();
  thread_.wait();
}

std::shared_ptr<devices::SafetyWritePath> LaserSupervisor::currentPath() const {
  std::lock_guard lock(pathMutex_);
  return path_;
}

void LaserSupervisor::attachLink(devices::DeviceLink* link) {
  QMetaObject::invokeMethod(worker_, [this, link] { worker_->attach(link); });
}

void LaserSupervisor::detachLinkNow() {
  QMetaObject::invokeMethod(worker_, [this] { worker_->attach(nullptr); }, Qt::BlockingQueuedConnection);
}

void LaserSupervisor::setChecklistItem(ChecklistItem item, bool value, const QString& who) {
  QMetaObject::invokeMethod(worker_, [=, this] {
    worker_->takeRaisedFaults();  // a fault raised before this request is taken up first
    worker_->setItem(item, value, who); });
}

void LaserSupervisor::beginChecklist(const QString& who) {
  QMetaObject::invokeMethod(worker_, [=, this] {
    worker_->takeRaisedFaults();  // a fault raised before this request is taken up first
    worker_->event(ArmingEvent::BeginChecklist, who); });
}

void LaserSupervisor::arm(const QString& who) {
  QMetaObject::invokeMethod(worker_, [=, this] {
    worker_->takeRaisedFaults();  // a fault raised before this request is taken up first
    worker_->event(ArmingEvent::Arm, who); });
}

void LaserSupervisor::requestEmission(const EmissionPlan& plan, const QString& who) {
  QMetaObject::invokeMethod(worker_, [=, this] {
    worker_->takeRaisedFaults();  // a fault raised before this request is taken up first
    worker_->requestEmission(plan, who); });
}

void LaserSupervisor::pause(const QString& who) {
  QMetaObject::invokeMethod(worker_, [=, this] {
    worker_->takeRaisedFaults();  // a fault raised before this request is taken up first
    worker_->event(ArmingEvent::Pause, who); });
}

void LaserSupervisor::resume(const QString& who) {
  QMetaObject::invokeMethod(worker_, [=, this] {
    worker_->takeRaisedFaults();  // a fault raised before this request is taken up first
    worker_->event(ArmingEvent::Resume, who); });
}

void LaserSupervisor::stop(const QString& who) {
  QMetaObject::invokeMethod(worker_, [=, this] {
    worker_->takeRaisedFaults();  // a fault raised before this request is taken up first
    worker_->event(ArmingEvent::Stop, who); });
}

void LaserSupervisor::disarm(const QString& who) {
  QMetaObject::invokeMethod(worker_, [=, this] {
    worker_->takeRaisedFaults();  // a fault raised before this request is taken up first
    worker_->event(ArmingEvent::Disarm, who); });
}

void LaserSupervisor::resetFault(const QString& who) {
  QMetaObject::invokeMethod(worker_, [=, this] {
    worker_->takeRaisedFaults();  // a fault raised before this request is taken up first
    worker_->event(ArmingEvent::ResetFault, who); });
}

void LaserSupervisor::raiseFault(safety::FaultReason reason, const QString& detail) {
  mailbox_.post(reason, detail, nowNs());
}

void LaserSupervisor::setWarningDelay(std::chrono::milliseconds delay, const QString& who) {
  QMetaObject::invokeMethod(worker_, [=, this] {
    worker_->takeRaisedFaults();  // a fault raised before this request is taken up first
    worker_->setWarningDelay(delay, who); });
}

void LaserSupervisor::guiHeartbeat() { worker_->heartbeat(); }

QString LaserSupervisor::emergencyStop(const QString& who) {
  const auto raisedNs = nowNs();
  auto path = currentPath();
  const bool written = path && path->sendEmissionOff().ok;
  mailbox_.post(safety::FaultReason::EmergencyStop, who, raisedNs);
  if (!path) return tr("E-STOP: no laser is connected, so nothing was emitting.");
  return written ? tr("E-STOP: emission-off sent to the laser. Arming is cancelled; reset the fault to start again.")
                 : tr("E-STOP: the laser's link is down; its own watchdog ends emission. Check the device.");
}

SupervisorSnapshot LaserSupervisor::snapshot() const { return worker_->snapshot(); }

SchedulingReport LaserSupervisor::scheduling() const { return worker_->scheduling(); }

}  // namespace tautband::supervisor
