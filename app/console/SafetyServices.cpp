#include "console/SafetyServices.h"

#include "core/Logging.h"
#include "safety/ClinicSettings.h"
#include "ui/EmergencyStop.h"

#include <QJsonDocument>

#include <cmath>

namespace tautband::console {
namespace {

auto log() { return core::logger(core::subsystem::kSafety); }

supervisor::LaserSupervisor::Options supervisorOptions(const safety::ClinicSettings& settings) {
  supervisor::LaserSupervisor::Options options;
  options.warningDelay = std::chrono::milliseconds(std::lround(settings.laserWarningDelayS * 1000.0));
  return options;
}

}  // namespace

SafetyServices::SafetyServices(devices::LinkManager& links, ui::EmergencyStop& emergencyStop, StoreSafetyAudit& audit,
                               QObject* parent)
    : QObject(parent),
      links_(links),
      audit_(audit),
      evaluator_(anatomy::Atlas::builtin(), safety::RuleTable::builtin(), safety::defaultClinicSettings()),
      audited_(evaluator_, audit) {
  // The supervisor's audit calls come from its own thread and follow the emission-off
  // write, never precede it; posting them never waits on disk.
  supervisor_ = std::make_unique<supervisor::LaserSupervisor>(
      supervisorOptions(evaluator_.settings()),
      [&audit](const QString& action, const QJsonObject& details) { audit.supervisorEvent(action, details); });
  controller_ = std::make_unique<ui::LaserController>(*supervisor_, audited_, anatomy::Atlas::builtin());

  // The supervisor treats a GUI silent for 1 s during emission as a fault.
  heartbeat_.setInterval(100);
  connect(&heartbeat_, &QTimer::timeout, this, [this] { supervisor_->guiHeartbeat(); });
  heartbeat_.start();
  supervisor_->guiHeartbeat();

  emergencyStop.setHandler([this] { return supervisor_->emergencyStop(QStringLiteral("E-STOP button")); });

  connect(&links_, &devices::LinkManager::linksChanged, this, &SafetyServices::watchLinks);
  watchLinks();
}

SafetyServices::~SafetyServices() {
  heartbeat_.stop();
  controller_.reset();
  supervisor_.reset();  // writes emission-off and stops its thread
}

void SafetyServices::applyClinicSettings(const safety::ClinicSettings& settings, const QString& who) {
  try {
    safety::validate(settings);
  } catch (const std::exception& e) {
    log()->error("clinic settings not applied to the laser: {}", e.what());
    return;
  }
  const QString by = who.isEmpty() ? QStringLiteral("clinic settings %1").arg(QString::fromStdString(settings.settingsVersion))
                                   : who;
  // The warning before emission (21 CFR 1040.10(f)): the supervisor thread decides when it
  // applies (at once, or when the arming under way ends) and audits it.
  supervisor_->setWarningDelay(std::chrono::milliseconds(std::lround(settings.laserWarningDelayS * 1000.0)), by);

  // An armed laser whose case the change affects takes the RuleChanged fault BEFORE the page
  // re-evaluates: emission off first, then Fault, with the reason in words. The supervisor
  // takes a raised fault up before any request queued after it (the re-evaluated items).
  const auto state = supervisor_->snapshot().state;
  const bool active = state == safety::ArmingState::Armed || state == safety::ArmingState::Warning ||
                      state == safety::ArmingState::Emitting || state == safety::ArmingState::Paused;
  if (active) {
    const QString change = howTheLaserCaseChanges(settings);
    if (!change.isEmpty()) {
      supervisor_->raiseFault(safety::FaultReason::RuleChanged, change);
      log()->warn("clinic settings {} changed the armed laser's case: {}", settings.settingsVersion, change.toStdString());
    } else {
      log()->info("clinic settings {} leave the armed laser's case as it was: no fault", settings.settingsVersion);
    }
  }
  evaluator_.replaceSettings(settings);
  controller_->evaluateNow();
  log()->info("laser evaluator uses clinic settings {}", settings.settingsVersion);
}

QString SafetyServices::howTheLaserCaseChanges(const safety::ClinicSettings& next) const {
  // The same case, evaluated now under the settings in force and under the new ones. Only
  // what this case's evaluation shows counts: a figure of another wavelength's dose table,
  // or a needling setting, leaves an armed laser alone.
  const safety::Case current = controller_->buildCase();
  const safety::Evaluator after(anatomy::Atlas::builtin(), safety::RuleTable::builtin(), next);
  safety::Decision was;
  safety::Decision now;
  try {
    was = evaluator_.decide(current);
    now = after.decide(current);
  } catch (const std::exception& e) {
    return QStringLiteral("the clinic's settings changed and this dose could not be evaluated under them (%1)")
        .arg(QString::fromStdString(e.what()));
  }
  const auto ids = [](const safety::Decision& d) {
    QStringList out;
    for (const auto& f : d.fired) out << QString::fromStdString(f.ruleId);
    return out;
  };
  const QStringList before = ids(was);
  const QStringList after_ = ids(now);
  QStringList words;
  for (const auto& f : now.fired) {
    const QString id = QString::fromStdString(f.ruleId);
    if (!before.contains(id)) words << QStringLiteral("%1 now applies: %2").arg(id, QString::fromStdString(f.message));
  }
  for (const QString& id : before)
    if (!after_.contains(id)) words << QStringLiteral("%1 no longer applies").arg(id);
  // The same rule with another finding (e.g. the protocol band it names moved) or level.
  for (const auto& f : now.fired) {
    for (const auto& old : was.fired) {
      if (old.ruleId != f.ruleId || (old.message == f.message && old.level == f.level)) continue;
      words << QStringLiteral("%1 now: %2").arg(QString::fromStdString(f.ruleId), QString::fromStdString(f.message));
    }
  }
  if (words.isEmpty() && (was.level != now.level || was.mayProceed() != now.mayProceed()))
    words << QStringLiteral("the decision is now %1").arg(QString::fromUtf8(safety::toString(now.level).data(), static_cast<qsizetype>(safety::toString(now.level).size())));
  if (words.isEmpty()) {
    // Same rules, but the bounds this dose was checked against moved (e.g. the clinic's
    // energy band, which sets the planned time cap).
    for (const auto& [key, value] : now.limits) {
      const auto old = was.limits.find(key);
      if (old == was.limits.end() || old->second != value)
        words << QStringLiteral("%1 %2 -> %3")
                     .arg(QString::fromStdString(key))
                     .arg(old == was.limits.end() ? QStringLiteral("none") : QString::number(old->second))
                     .arg(value);
    }
    for (const auto& [key, value] : was.limits)
      if (!now.limits.contains(key)) words << QStringLiteral("%1 %2 -> none").arg(QString::fromStdString(key)).arg(value);
    if (!words.isEmpty()) words.prepend(QStringLiteral("the limits of this dose changed"));
  }
  if (words.isEmpty()) return {};
  return QStringLiteral("the clinic's settings changed while the laser was armed: %1").arg(words.join(QStringLiteral("; ")));
}

void SafetyServices::watchLinks() {
  const auto current = links_.links();
  QSet<devices::DeviceLink*> now(current.begin(), current.end());
  for (auto* link : current) {
    if (watched_.contains(link)) continue;
    watched_.insert(link);
    // identified: a device answered the handshake (also after every reconnect).
    connect(link, &devices::DeviceLink::identified, this, [this] { attachBestLaserLink(); }, Qt::QueuedConnection);
    connect(link, &QObject::destroyed, this, [this, link] {
      watched_.remove(link);
      if (attached_ == nullptr || attached_ == link) {
        // Blocking: the supervisor thread must let go before the memory does.
        supervisor_->detachLinkNow();
        controller_->setDeviceInfo(std::nullopt);
      }
    });
  }
  watched_.intersect(now);
  attachBestLaserLink();
}

void SafetyServices::attachBestLaserLink() {
  devices::DeviceLink* best = nullptr;
  std::optional<device::v1::DeviceInfo> bestInfo;
  for (auto* link : links_.links()) {
    const auto info = link->deviceInfo();
    if (!info || !info->has_laser()) continue;
    best = link;
    bestInfo = info;
    if (link == attached_.data()) break;  // keep the one already watched
  }
  if (!best) {
    if (attached_) {
      attached_ = nullptr;
      supervisor_->attachLink(nullptr);
      controller_->setDeviceInfo(std::nullopt);
    }
    return;
  }
  // Re-attached on every identification so the supervisor reads the device's current
  // declaration (firmware watchdog) after a reconnect.
  log()->info("laser link {}: {} {}", best->name().toStdString(), bestInfo->vendor(), bestInfo->model());
  attached_ = best;
  supervisor_->attachLink(best);
  controller_->setDeviceInfo(bestInfo);
}

}  // namespace tautband::console
