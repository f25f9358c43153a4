#pragma once

#include "safety/Case.h"
#include "safety/Decision.h"
#include "safety/LaserArming.h"
#include "safety/LaserDose.h"
#include "supervisor/LaserSupervisor.h"
#include "ui/CaseInputs.h"
#include "ui/SupervisorApprovals.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <atomic>
#include <functional>
#include <map>
#include <optional>

namespace tautband::safety {
class AuditedSafety;
}

namespace tautband::ui {

class WarningTone;

// The laser page's view model (BRIEF §3 flow 5). It turns what the page knows into a
// safety::Case, evaluates it through AuditedSafety (every evaluation is audited), hands the
// eight rules-derived checklist items to the LaserSupervisor, and sends the therapist's
// requests (arm, emit, pause, stop, reset) to it. It never decides emission: the supervisor
// thread does, and this object only shows the supervisor's snapshots.
//
// What the page cannot know (the logged-in practitioner, the patient's screening, the device's
// last power check, the clinic's eyewear and the OD the manufacturer requires) comes from the
// store through ClinicalContext (setCaseInputs, setDeviceProfile). Until then those items
// stay false and `missingInputs` says so: no value is ever invented.
class LaserController : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("created by the console's composition root")

  // Parameters (locked while armed or beyond).
  Q_PROPERTY(QVariantList sites READ sites CONSTANT)
  Q_PROPERTY(QString siteId READ siteId WRITE setSiteId NOTIFY parametersChanged)
  Q_PROPERTY(QString siteName READ siteName NOTIFY parametersChanged)
  // The tapped point on the body map (view "" and -1 when the site was chosen by id).
  Q_PROPERTY(QString siteView READ siteView NOTIFY parametersChanged)
  Q_PROPERTY(double siteX READ siteX NOTIFY parametersChanged)
  Q_PROPERTY(double siteY READ siteY NOTIFY parametersChanged)
  Q_PROPERTY(int wavelengthNm READ wavelengthNm WRITE setWavelengthNm NOTIFY parametersChanged)
  Q_PROPERTY(bool pulsed READ pulsed NOTIFY parametersChanged)
  Q_PROPERTY(double powerMw READ powerMw WRITE setPowerMw NOTIFY parametersChanged)
  Q_PROPERTY(double frequencyHz READ frequencyHz WRITE setFrequencyHz NOTIFY parametersChanged)
  Q_PROPERTY(double dutyPercent READ dutyPercent WRITE setDutyPercent NOTIFY parametersChanged)
  Q_PROPERTY(double spotAreaCm2 READ spotAreaCm2 WRITE setSpotAreaCm2 NOTIFY parametersChanged)
  Q_PROPERTY(bool targetIsEnergy READ targetIsEnergy WRITE setTargetIsEnergy NOTIFY parametersChanged)
  Q_PROPERTY(double targetEnergyJ READ targetEnergyJ WRITE setTargetEnergyJ NOTIFY parametersChanged)
  Q_PROPERTY(double targetTimeS READ targetTimeS WRITE setTargetTimeS NOTIFY parametersChanged)
  Q_PROPERTY(double maxPowerMw READ maxPowerMw NOTIFY deviceChanged)
  Q_PROPERTY(bool parametersLocked READ parametersLocked NOTIFY supervisorChanged)

  // Confirmations the people in the room give (reset after every arming cycle).
  Q_PROPERTY(bool eyewearConfirmed READ eyewearConfirmed WRITE setEyewearConfirmed NOTIFY parametersChanged)
  Q_PROPERTY(double eyewearOd READ eyewearOd WRITE setEyewearOd NOTIFY parametersChanged)
  Q_PROPERTY(double requiredOd READ requiredOd NOTIFY deviceChanged)
  Q_PROPERTY(bool requiredOdKnown READ requiredOdKnown NOTIFY deviceChanged)
  Q_PROPERTY(QString eyewearText READ eyewearText NOTIFY parametersChanged)
  Q_PROPERTY(bool controlledAreaConfirmed READ controlledAreaConfirmed WRITE setControlledAreaConfirmed NOTIFY parametersChanged)

  // Planned dose (before emission): requested power scaled by the last power check.
  Q_PROPERTY(double plannedMeanPowerMw READ plannedMeanPowerMw NOTIFY doseChanged)
  Q_PROPERTY(double plannedEnergyJ READ plannedEnergyJ NOTIFY doseChanged)
  Q_PROPERTY(double plannedFluenceJPerCm2 READ plannedFluenceJPerCm2 NOTIFY doseChanged)
  Q_PROPERTY(double plannedIrradianceMwPerCm2 READ plannedIrradianceMwPerCm2 NOTIFY doseChanged)
  Q_PROPERTY(double plannedTimeS READ plannedTimeS NOTIFY doseChanged)
  Q_PROPERTY(bool plannedFromMeasurement READ plannedFromMeasurement NOTIFY doseChanged)

  // Live, from the supervisor's snapshot (measured power).
  Q_PROPERTY(QString state READ state NOTIFY supervisorChanged)
  Q_PROPERTY(QString stateText READ stateText NOTIFY supervisorChanged)
  Q_PROPERTY(bool emitting READ emitting NOTIFY supervisorChanged)
  Q_PROPERTY(bool warning READ warning NOTIFY supervisorChanged)
  Q_PROPERTY(double warningRemainingS READ warningRemainingS NOTIFY supervisorChanged)
  // "Warning delay 2 s", or with a manager's change waiting for the arming under way to end
  // "Warning delay 2 s (1.2 s from the next arming)" (docs/LASER-UI.md).
  Q_PROPERTY(QString warningDelayText READ warningDelayText NOTIFY supervisorChanged)
  Q_PROPERTY(double measuredPowerMw READ measuredPowerMw NOTIFY supervisorChanged)
  Q_PROPERTY(double deliveredJ READ deliveredJ NOTIFY supervisorChanged)
  Q_PROPERTY(double deliveredJPerCm2 READ deliveredJPerCm2 NOTIFY supervisorChanged)
  Q_PROPERTY(double liveIrradianceMwPerCm2 READ liveIrradianceMwPerCm2 NOTIFY supervisorChanged)
  Q_PROPERTY(double timeLeftS READ timeLeftS NOTIFY supervisorChanged)
  Q_PROPERTY(double progress READ progress NOTIFY supervisorChanged)
  Q_PROPERTY(bool linkConnected READ linkConnected NOTIFY supervisorChanged)
  Q_PROPERTY(QString faultText READ faultText NOTIFY supervisorChanged)
  Q_PROPERTY(QString glance READ glance NOTIFY supervisorChanged)

  // Checklist and refusals.
  Q_PROPERTY(QVariantList checklist READ checklist NOTIFY checklistChanged)
  Q_PROPERTY(bool allItemsHold READ allItemsHold NOTIFY checklistChanged)
  Q_PROPERTY(QVariantList refusals READ refusals NOTIFY decisionChanged)
  Q_PROPERTY(QString decisionLevel READ decisionLevel NOTIFY decisionChanged)
  Q_PROPERTY(QStringList missingInputs READ missingInputs NOTIFY decisionChanged)
  // SUPERVISOR approvals in force for this case: [{ruleId, supervisor, reason, auditSequence}].
  Q_PROPERTY(QVariantList approvals READ approvals NOTIFY decisionChanged)
  Q_PROPERTY(QString message READ message NOTIFY messageChanged)
  Q_PROPERTY(bool audioAvailable READ audioAvailable CONSTANT)

 public:
  // Eyewear the clinic recorded (store): rating per wavelength band and mode.
  struct EyewearRating {
    QString label;
    double minNm = 0, maxNm = 0, opticalDensity = 0;
    QString mode;  // cw | pulsed | both
  };
  // What the device's maker and the clinic's records say about the attached laser.
  struct DeviceProfile {
    std::map<int, double> requiredOdByWavelength;     // manufacturer's OD per wavelength (mode follows it)
    std::optional<safety::PowerCheck> lastPowerCheck;  // 21 CFR 1040.11(a), from the store
    bool hardwareInterlockDeclared = false;
    std::vector<EyewearRating> eyewear;
  };
  // The patient for this session, from the store (ClinicalContext).
  using Patient = PatientFacts;

  LaserController(supervisor::LaserSupervisor& supervisor, safety::AuditedSafety& safety,
                  const anatomy::Atlas& atlas, QObject* parent = nullptr);
  ~LaserController() override;

  // Inputs owned by others (store, login, device link). nullopt = not available.
  void setCaseInputs(const CaseInputs& inputs);
  void setPractitioner(std::optional<safety::Practitioner> practitioner);
  void setPatient(std::optional<Patient> patient);
  // The practitioner or patient is gone (log-out, lock, session end): an armed or emitting
  // laser is disarmed through the supervisor (emission off first), then the people's items
  // are withdrawn and evaluated at once. `why` goes to the message and the audit.
  void withdrawPeople(const QString& why);
  const std::optional<device::v1::DeviceInfo>& deviceInfo() const { return deviceInfo_; }
  void setDeviceProfile(DeviceProfile profile);
  void setDeviceInfo(std::optional<device::v1::DeviceInfo> info);
  // Tests pin the clock; the console uses the system clock.
  void setClock(std::function<safety::TimePoint()> clock) { clock_ = std::move(clock); }

  QVariantList sites() const { return sites_; }
  QString siteId() const { return siteId_; }
  QString siteName() const;
  void setSiteId(const QString& id);
  QString siteView() const;
  double siteX() const { return sitePoint_ ? sitePoint_->x : -1.0; }
  double siteY() const { return sitePoint_ ? sitePoint_->y : -1.0; }
  // The site from a tap on the body map (BodyMap.qml): the muscle there, zones from the point.
  Q_INVOKABLE void selectPoint(const QString& view, double x, double y);
  int wavelengthNm() const { return wavelengthNm_; }
  void setWavelengthNm(int nm);
  bool pulsed() const { return wavelengthNm_ == 905; }
  double powerMw() const { return powerMw_; }
  void setPowerMw(double mw);
  double frequencyHz() const { return frequencyHz_; }
  void setFrequencyHz(double hz);
  double dutyPercent() const { return dutyPercent_; }
  void setDutyPercent(double percent);
  double spotAreaCm2() const { return spotAreaCm2_; }
  void setSpotAreaCm2(double cm2);
  bool targetIsEnergy() const { return targetIsEnergy_; }
  void setTargetIsEnergy(bool energy);
  double targetEnergyJ() const { return targetEnergyJ_; }
  void setTargetEnergyJ(double j);
  double targetTimeS() const { return targetTimeS_; }
  void setTargetTimeS(double s);
  double maxPowerMw() const;
  bool parametersLocked() const;

  bool eyewearConfirmed() const { return eyewearConfirmed_; }
  void setEyewearConfirmed(bool confirmed);
  double eyewearOd() const { return effectiveEyewearOd(); }  // entered here, else the clinic's recorded eyewear
  void setEyewearOd(double od);
  double requiredOd() const;
  bool requiredOdKnown() const;
  QString eyewearText() const;
  bool controlledAreaConfirmed() const { return controlledArea_; }
  void setControlledAreaConfirmed(bool confirmed);

  double plannedMeanPowerMw() const { return planned_.effectiveMeanPowerMw; }
  double plannedEnergyJ() const { return planned_.energyJ; }
  double plannedFluenceJPerCm2() const { return planned_.fluenceJPerCm2; }
  double plannedIrradianceMwPerCm2() const { return planned_.irradianceMwPerCm2; }
  double plannedTimeS() const { return plannedTimeS_; }
  bool plannedFromMeasurement() const { return planned_.fromMeasurement; }

  QString state() const;
  QString stateText() const;
  bool emitting() const { return snapshot_.state == safety::ArmingState::Emitting; }
  bool warning() const { return snapshot_.state == safety::ArmingState::Warning; }
  double warningRemainingS() const { return snapshot_.warningRemainingS.value_or(0.0); }
  QString warningDelayText() const {
    return describeWarningDelay(snapshot_.warningDelayMs, snapshot_.pendingWarningDelayMs);
  }
  // The supervisor's delay in force and a pending one in words (seconds, as the settings say them).
  static QString describeWarningDelay(std::int64_t delayMs, std::optional<std::int64_t> pendingMs) {
    const auto seconds = [](std::int64_t ms) { return QString::number(static_cast<double>(ms) / 1000.0); };
    const QString now = tr("Warning delay %1 s").arg(seconds(delayMs));
    if (!pendingMs || *pendingMs == delayMs) return now;
    return tr("%1 (%2 s from the next arming)").arg(now, seconds(*pendingMs));
  }
  double measuredPowerMw() const { return snapshot_.measuredPowerMw; }
  double deliveredJ() const { return snapshot_.deliveredJ; }
  double deliveredJPerCm2() const { return spotAreaCm2_ > 0 ? snapshot_.deliveredJ / spotAreaCm2_ : 0.0; }
  double liveIrradianceMwPerCm2() const { return spotAreaCm2_ > 0 ? snapshot_.measuredPowerMw / spotAreaCm2_ : 0.0; }
  double timeLeftS() const;
  double progress() const;
  bool linkConnected() const { return snapshot_.linkConnected; }
  QString faultText() const { return snapshot_.lastFault; }
  QString glance() const;

  QVariantList checklist() const;
  bool allItemsHold() const;
  QVariantList refusals() const { return refusals_; }
  QString decisionLevel() const { return decisionLevel_; }
  QStringList missingInputs() const;
  QVariantList approvals() const { return approvals_.toVariantList(); }
  QString message() const { return message_; }
  bool audioAvailable() const;

  // The current decision (tests and the status of each rules-derived item).
  const safety::Decision& decision() const { return decision_; }
  safety::Case buildCase() const;
  supervisor::EmissionPlan buildPlan() const;

  // Requests to the supervisor. Each says in `message` what was asked and, when the
  // supervisor will refuse, which items are missing and why.
  Q_INVOKABLE void beginChecklist();
  Q_INVOKABLE void arm();
  Q_INVOKABLE void disarm();
  Q_INVOKABLE void startEmission();   // timed: runs until the target, pause or stop
  Q_INVOKABLE void holdPressed();     // hold-to-emit: press starts or resumes
  Q_INVOKABLE void holdReleased();    // release pauses
  Q_INVOKABLE void pause();
  Q_INVOKABLE void resume();
  Q_INVOKABLE void stop();
  Q_INVOKABLE void resetFault();
  // Evaluates the rules now (normally 250 ms after the last change).
  Q_INVOKABLE void evaluateNow();
  // The therapist acknowledges one ACK rule that fires, with a reason (audited through
  // AuditedSafety). False, with `message` saying why, if the rule is not an ACK that fires
  // or the reason is empty. Acknowledgements are dropped when the site or patient changes.
  Q_INVOKABLE bool acknowledge(const QString& ruleId, const QString& reason);

  // SUPERVISOR rules (docs/SAFETY.md "Supervisor approval on the treatment pages").
  // What the page hands SupervisorDialog for one firing SUPERVISOR rule: {available, why,
  // ruleId, ruleText, context (session_id, patient_id, practitioner and the rule's inputs, for
  // the store's supervisor.approved entry), scope (the case the approval will hold for)}.
  // Evaluates first, so the answer is about the parameters on screen.
  Q_INVOKABLE QVariant supervisorRequest(const QString& ruleId);  // a QVariantMap (var in QML)
  // The store re-authenticated `supervisorLogin` (SupervisorDialog.approved): applies the
  // approval through AuditedSafety::approve (audited) and re-evaluates. Refused, with `message`
  // saying why, if the case changed since supervisorRequest (`scope` differs), the supervisor is
  // the practitioner, the rule is not a firing SUPERVISOR rule, or the reason is empty.
  Q_INVOKABLE bool applySupervisorApproval(const QString& ruleId, const QString& supervisorLogin,
                                           const QString& reason, qint64 auditSequence, const QString& scope);
  // The store refused (wrong password, same person, role) or the dialog was cancelled.
  Q_INVOKABLE void supervisorRefused(const QString& ruleId, const QString& why);
  // "The same case" for an approval of `ruleId`: session, patient, practitioner, the site and
  // every dose parameter the therapist sets. Any change drops the approval.
  QJsonObject approvalScope(const QString& ruleId) const;

 signals:
  void parametersChanged();
  void deviceChanged();
  void doseChanged();
  void supervisorChanged();
  void checklistChanged();
  void decisionChanged();
  void messageChanged();

 private:
  void parameterChanged();
  void scheduleEvaluation();
  void refreshFromSupervisor();
  void recomputePlannedDose();
  void setMessage(const QString& text);
  QString who() const;
  QString missingItemsSentence() const;
  QString itemDetail(safety::ChecklistItem item, bool holds) const;
  bool refuseWhileLocked();
  safety::LaserDevice laserDevice() const;
  safety::LaserAct laserAct() const;
  double effectiveEyewearOd() const;
  bool siteChosen() const;
  std::vector<std::pair<safety::ChecklistItem, bool>> rulesItems() const;
  const EyewearRating* recordedEyewear() const;
  void dropChangedApprovals();

  supervisor::LaserSupervisor& supervisor_;
  safety::AuditedSafety& safety_;
  const anatomy::Atlas& atlas_;
  std::function<safety::TimePoint()> clock_;

  QVariantList sites_;
  QString siteId_;
  std::optional<anatomy::View> siteView_;
  std::optional<anatomy::Point> sitePoint_;
  int wavelengthNm_ = 808;
  double powerMw_ = 100;
  double frequencyHz_ = 5000;
  double dutyPercent_ = 50;
  double spotAreaCm2_ = 0.1;
  bool targetIsEnergy_ = true;
  double targetEnergyJ_ = 4;
  double targetTimeS_ = 40;
  bool eyewearConfirmed_ = false;
  double eyewearOd_ = 0;
  bool controlledArea_ = false;

  std::optional<safety::Practitioner> practitioner_;
  std::optional<Patient> patient_;
  qint64 sessionId_ = 0;  // the open session (ClinicalContext); 0 = none
  SupervisorApprovals approvals_;
  DeviceProfile profile_;
  std::optional<device::v1::DeviceInfo> deviceInfo_;

  safety::LaserDose planned_;
  double plannedTimeS_ = 0;
  safety::Decision decision_;
  std::vector<std::string> acknowledged_;
  bool evaluated_ = false;
  QString evaluationError_;
  QVariantList refusals_;
  QString decisionLevel_;
  QString message_;

  supervisor::SupervisorSnapshot snapshot_;
  std::atomic<bool> refreshPending_{false};
  QTimer evaluationDelay_;
  WarningTone* tone_ = nullptr;
};

}  // namespace tautband::ui
