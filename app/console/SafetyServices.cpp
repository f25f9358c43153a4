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
  options.warningDelay = std::chrono::milliseconds(static_cast<int>(settings.laserWarningDelayS * 1000.0));
  return options;
}

}  // namespace

SafetyServices::SafetyServices(devices::LinkManager& links, ui::EmergencyStop& emergencyStop, StoreSafetyAudit& audit,
                               QObject* parent)
    : QObject(parent),
      links_(links),
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
  const auto laserFigures = [](const safety::ClinicSettings& s) {
    QJsonObject all = safety::clinicSettingsToJson(s);
    return QJsonObject{{"dose_tables", all.value("dose_tables")},
                       {"class4_threshold_mw", all.value("class4_threshold_mw")},
                       {"class4_stationary", all.value("class4_stationary_irradiance_max_mw_per_cm2")},
                       {"power_check_interval_days", all.value("power_check_interval_days")},
                       {"power_tolerance_fraction", all.value("power_tolerance_fraction")}};
  };
  const auto state = supervisor_->snapshot().state;
  const bool active = state == safety::ArmingState::Armed || state == safety::ArmingState::Warning ||
                      state == safety::ArmingState::Emitting || state == safety::ArmingState::Paused;
  try {
    safety::validate(settings);
  } catch (const std::exception& e) {
    log()->error("clinic settings not applied to the laser: {}", e.what());
    return;
  }
  // The warning before emission (21 CFR 1040.10(f)): the supervisor thread decides when it
  // applies (at once, or when the arming under way ends) and audits it.
  supervisor_->setWarningDelay(std::chrono::milliseconds(std::lround(settings.laserWarningDelayS * 1000.0)),
                               who.isEmpty() ? QStringLiteral("clinic settings %1").arg(QString::fromStdString(settings.settingsVersion)) : who);
  // The dose figures an armed laser was checked against are changing: emission off first.
  const bool figuresChanged = laserFigures(evaluator_.settings()) != laserFigures(settings);
  if (active && figuresChanged)
    supervisor_->raiseFault(safety::FaultReason::RuleChanged, QStringLiteral("clinic laser settings changed while armed"));
  const QString levelBefore = controller_->decisionLevel();
  const QVariantList firedBefore = controller_->refusals();
  evaluator_.replaceSettings(settings);
  controller_->evaluateNow();
  const bool decisionChanged = controller_->decisionLevel() != levelBefore || controller_->refusals() != firedBefore;
  log()->info("laser evaluator uses clinic settings {}", settings.settingsVersion);
  if (active && decisionChanged && !figuresChanged)
    supervisor_->raiseFault(safety::FaultReason::RuleChanged, QStringLiteral("clinic settings changed the decision while armed"));
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
