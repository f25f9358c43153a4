#pragma once

#include "console/StoreSafetyAudit.h"
#include "devices/host/LinkManager.h"
#include "safety/AuditedSafety.h"
#include "safety/Evaluator.h"
#include "supervisor/LaserSupervisor.h"
#include "ui/LaserController.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>

namespace tautband::ui {
class EmergencyStop;
}

namespace tautband::console {

// The console's laser safety side, wired once: the supervisor thread (the only code that
// can make a laser emit), the laser link it watches (the first link whose device declares a
// laser, re-attached whenever such a link is identified), the GUI heartbeat it expects every
// 100 ms, the E-STOP handler, and the laser page's view model.
class SafetyServices : public QObject {
  Q_OBJECT
 public:
  // Every evaluation, acknowledgement, approval and supervisor event goes to `audit`.
  SafetyServices(devices::LinkManager& links, ui::EmergencyStop& emergencyStop, StoreSafetyAudit& audit,
                 QObject* parent = nullptr);
  ~SafetyServices() override;

  ui::LaserController& laser() { return *controller_; }
  supervisor::LaserSupervisor& supervisor() { return *supervisor_; }
  // The link the supervisor watches, or nullptr.
  devices::DeviceLink* attachedLink() const { return attached_; }
  const safety::Evaluator& evaluator() const { return evaluator_; }

  // A manager changed the clinic's settings (GUI thread only: the supervisor thread never
  // reads the evaluator). The laser page re-evaluates at once. If the laser is Armed, in
  // Warning, Emitting or Paused and the change affects its case (a rule fires or stops firing,
  // the decision or a limit of this dose moves), the supervisor takes the RuleChanged fault
  // first (emission off, then Fault with the change in words); a change that leaves the case
  // as it was does not fault. The warning delay goes to the supervisor, which applies it at
  // once or, mid-arming, when that arming ends. `who` names the change in the audit.
  void applyClinicSettings(const safety::ClinicSettings& settings, const QString& who = {});
  // What the change to `next` does to the laser's current case, in words; empty = nothing.
  QString howTheLaserCaseChanges(const safety::ClinicSettings& next) const;
  // The audit the safety side writes to (any thread; never blocks).
  StoreSafetyAudit& audit() { return audit_; }

 private:
  void watchLinks();
  void attachBestLaserLink();

  devices::LinkManager& links_;
  StoreSafetyAudit& audit_;
  safety::Evaluator evaluator_;
  safety::AuditedSafety audited_;
  std::unique_ptr<supervisor::LaserSupervisor> supervisor_;
  std::unique_ptr<ui::LaserController> controller_;  // destroyed before the supervisor
  QTimer heartbeat_;
  QSet<devices::DeviceLink*> watched_;
  QPointer<devices::DeviceLink> attached_;
};

}  // namespace tautband::console
