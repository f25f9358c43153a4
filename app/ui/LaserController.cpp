#include "LaserController.h"

#include "WarningTone.h"
#include "core/Logging.h"
#include "safety/AuditedSafety.h"
#include "safety/CaseJson.h"

#include <QJsonArray>
#include <QMetaObject>

#include <algorithm>
#include <cmath>

namespace tautband::ui {
namespace {

using safety::ArmingState;
using safety::ChecklistItem;
namespace proto = ::tautband::device::v1;

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

enum class ItemSource { Rules, Confirmed, Device };

struct ItemSpec {
  ChecklistItem item;
  ItemSource source;
  const char* label;
  // The rules whose firing makes this item false (mirrors safety::checklistFromDecision;
  // test_laser_controller keeps the two in step). ParametersInLimits takes every other rule.
  std::initializer_list<const char*> rules;
};

const ItemSpec kItems[] = {
    {ChecklistItem::PractitionerCredentialed, ItemSource::Rules, QT_TR_NOOP("Practitioner has a current laser credential"),
     {"PR-CREDENTIAL-LASER"}},
    {ChecklistItem::PatientScreened, ItemSource::Rules, QT_TR_NOOP("Patient screened and consent recorded"),
     {"PF-NOT-SCREENED", "PF-NO-CONSENT", "PF-GUARDIAN-CONSENT"}},
    {ChecklistItem::SiteAllowed, ItemSource::Rules, QT_TR_NOOP("Site allowed for laser"),
     {"SITE-LASER-OFF-BODY", "LZ-EYE", "LZ-THYROID", "LZ-PREGNANT-TRUNK", "LZ-TESTES", "LZ-MALIGNANCY-SITE",
      "LZ-RADIOTHERAPY-SITE", "LZ-BLEEDING-DVT-SITE"}},
    {ChecklistItem::EyewearConfirmed, ItemSource::Confirmed, QT_TR_NOOP("Eyewear of the right OD on everyone in the room"),
     {"LZ-EYEWEAR"}},
    {ChecklistItem::ControlledArea, ItemSource::Confirmed, QT_TR_NOOP("Controlled area: door closed, warning sign up"),
     {"LZ-CONTROLLED-AREA"}},
    {ChecklistItem::DeviceHealthy, ItemSource::Device, QT_TR_NOOP("Laser connected and healthy"), {}},
    {ChecklistItem::PowerCheckCurrent, ItemSource::Rules, QT_TR_NOOP("Output power check current and within ±20 %"),
     {"LZ-POWER-CHECK-OVERDUE", "LZ-POWER-OUT-OF-TOLERANCE"}},
    {ChecklistItem::InterlockClosed, ItemSource::Device, QT_TR_NOOP("Remote interlock closed"), {}},
    {ChecklistItem::KeyOn, ItemSource::Device, QT_TR_NOOP("Key switch on"), {}},
    {ChecklistItem::ParametersInLimits, ItemSource::Rules, QT_TR_NOOP("Dose and power inside the limits"), {}},
    {ChecklistItem::IndependentStop, ItemSource::Rules,
     QT_TR_NOOP("Independent stop: firmware watchdog or declared hardware interlock"), {"LZ-NO-WATCHDOG"}},
};

const ItemSpec& specOf(ChecklistItem item) {
  for (const auto& spec : kItems) {
    if (spec.item == item) return spec;
  }
  return kItems[0];
}

bool ruleBelongsToNamedItem(const std::string& ruleId) {
  for (const auto& spec : kItems) {
    for (const char* id : spec.rules) {
      if (ruleId == id) return true;
    }
  }
  return false;
}

QString sourceName(ItemSource s) {
  switch (s) {
    case ItemSource::Rules: return QStringLiteral("rules");
    case ItemSource::Confirmed: return QStringLiteral("you");
    case ItemSource::Device: return QStringLiteral("device");
  }
  return {};
}

QString sideText(anatomy::Side side) {
  switch (side) {
    case anatomy::Side::Right: return QObject::tr("right");
    case anatomy::Side::Left: return QObject::tr("left");
    case anatomy::Side::Midline: return QObject::tr("midline");
  }
  return {};
}

// Zones where the laser is refused at the site; offered in the site list so a tap there
// (as a body map would send it) is refused by the rules engine, not by the page.
constexpr std::string_view kRefusedZoneKinds[] = {"eye", "periorbital", "thyroid", "testes"};

}  // namespace

LaserController::LaserController(supervisor::LaserSupervisor& supervisor, safety::AuditedSafety& safety,
                                 const anatomy::Atlas& atlas, QObject* parent)
    : QObject(parent), supervisor_(supervisor), safety_(safety), atlas_(atlas) {
  clock_ = [] { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); };
  for (const auto& region : atlas_.regions()) {
    const auto* muscle = atlas_.muscleOf(region);
    const QString name = muscle ? QString::fromStdString(muscle->name) : QString::fromStdString(region.id);
    sites_.append(QVariantMap{{QStringLiteral("id"), QString::fromStdString(region.id)},
                              {QStringLiteral("name"), QStringLiteral("%1 (%2)").arg(name, sideText(region.side))},
                              {QStringLiteral("riskZone"), false}});
  }
  for (const auto& zone : atlas_.zones()) {
    if (std::find(std::begin(kRefusedZoneKinds), std::end(kRefusedZoneKinds), zone.kind) == std::end(kRefusedZoneKinds))
      continue;
    const auto c = anatomy::centroidOf(zone.polygon);
    const auto hits = atlas_.zonesAt(zone.view, c);
    if (std::none_of(hits.begin(), hits.end(), [&](const anatomy::Zone* z) { return z->id == zone.id; })) continue;
    QString name = QString::fromStdString(zone.structure);
    if (zone.side != anatomy::Side::Midline) name += QStringLiteral(" (%1)").arg(sideText(zone.side));
    sites_.append(QVariantMap{{QStringLiteral("id"), QStringLiteral("zone:") + QString::fromStdString(zone.id)},
                              {QStringLiteral("name"), tr("Risk zone: %1").arg(name)},
                              {QStringLiteral("riskZone"), true}});
  }
  // No site until the therapist chooses one on the body map: nothing is preselected.

  tone_ = new WarningTone(this);
  evaluationDelay_.setSingleShot(true);
  evaluationDelay_.setInterval(250);
  connect(&evaluationDelay_, &QTimer::timeout, this, &LaserController::evaluateNow);
  // The supervisor publishes from its own thread; coalesce into one queued refresh so a
  // blocked GUI thread finds at most one pending call, never a growing queue.
  connect(
      &supervisor_, &supervisor::LaserSupervisor::changed, this,
      [this] {
        if (!refreshPending_.exchange(true)) {
          QMetaObject::invokeMethod(this, &LaserController::refreshFromSupervisor, Qt::QueuedConnection);
        }
      },
      Qt::DirectConnection);
  snapshot_ = supervisor_.snapshot();
  recomputePlannedDose();
  scheduleEvaluation();
}

LaserController::~LaserController() { disconnect(&supervisor_, nullptr, this, nullptr); }

// ----- inputs owned by others -----

void LaserController::setPractitioner(std::optional<safety::Practitioner> practitioner) {
  practitioner_ = std::move(practitioner);
  scheduleEvaluation();
  emit decisionChanged();
}

void LaserController::setPatient(std::optional<Patient> patient) {
  patient_ = std::move(patient);
  acknowledged_.clear();
  approvals_.clear();
  scheduleEvaluation();
  emit decisionChanged();
}

void LaserController::setCaseInputs(const CaseInputs& inputs) {
  const bool patientChanged = (inputs.patient.has_value() != patient_.has_value()) ||
                              (inputs.patient && patient_ && inputs.patient->patientId != patient_->patientId);
  const bool sessionChanged = inputs.sessionId != sessionId_;
  const bool practitionerChanged =
      inputs.practitioner.has_value() != practitioner_.has_value() ||
      (inputs.practitioner && practitioner_ && inputs.practitioner->userId != practitioner_->userId);
  practitioner_ = inputs.practitioner;
  patient_ = inputs.patient;
  sessionId_ = inputs.sessionId;
  if (patientChanged) acknowledged_.clear();
  // A supervisor approval holds for one session, one patient and one practitioner.
  if ((patientChanged || sessionChanged || practitionerChanged) && !approvals_.empty()) {
    approvals_.clear();
    setMessage(tr("Supervisor approvals ended with the session, patient or practitioner change."));
  }
  scheduleEvaluation();
  emit decisionChanged();
}

void LaserController::withdrawPeople(const QString& why) {
  const auto s = snapshot_.state;
  const bool active = s == ArmingState::Armed || s == ArmingState::Warning || s == ArmingState::Emitting ||
                      s == ArmingState::Paused || s == ArmingState::Checklist;
  if (active) supervisor_.disarm(who() + QStringLiteral(" (") + why + QLatin1Char(')'));
  practitioner_.reset();
  patient_.reset();
  sessionId_ = 0;
  acknowledged_.clear();
  approvals_.clear();
  evaluateNow();  // the items go false now, not after the edit delay
  emit decisionChanged();
  if (active) setMessage(tr("Disarmed: %1.").arg(why));
}

void LaserController::setDeviceProfile(DeviceProfile profile) {
  profile_ = std::move(profile);
  recomputePlannedDose();
  scheduleEvaluation();
  emit deviceChanged();
  emit parametersChanged();  // the recorded eyewear may change the OD shown
}

void LaserController::setDeviceInfo(std::optional<proto::DeviceInfo> info) {
  deviceInfo_ = std::move(info);
  recomputePlannedDose();
  scheduleEvaluation();
  emit deviceChanged();
}

// ----- parameters -----

bool LaserController::parametersLocked() const {
  const auto s = snapshot_.state;
  return s == ArmingState::Armed || s == ArmingState::Warning || s == ArmingState::Emitting || s == ArmingState::Paused;
}

bool LaserController::refuseWhileLocked() {
  if (!parametersLocked()) return false;
  setMessage(tr("The parameters are locked while the laser is armed. Disarm to change them."));
  emit parametersChanged();  // puts the controls back to the values in force
  return true;
}

void LaserController::parameterChanged() {
  recomputePlannedDose();
  scheduleEvaluation();
  emit parametersChanged();
}

bool LaserController::siteChosen() const { return !siteId_.isEmpty() || sitePoint_.has_value(); }

std::vector<std::pair<safety::ChecklistItem, bool>> LaserController::rulesItems() const {
  auto items = safety::checklistFromDecision(decision_);
  // The rules cannot allow a site nobody chose.
  for (auto& [item, holds] : items)
    if (item == ChecklistItem::SiteAllowed && !siteChosen()) holds = false;
  return items;
}

QString LaserController::siteView() const {
  return siteView_ ? QString::fromLatin1(anatomy::toString(*siteView_).data()) : QString();
}

void LaserController::selectPoint(const QString& view, double x, double y) {
  if (refuseWhileLocked()) return;
  const auto v = anatomy::viewFromString(view.toStdString());
  if (!v || !(x >= 0 && x <= 1 && y >= 0 && y <= 1)) return;
  siteView_ = v;
  sitePoint_ = anatomy::Point{x, y};
  const auto hits = atlas_.regionsAt(*v, *sitePoint_);
  siteId_ = hits.empty() ? QString() : QString::fromStdString(hits.front()->id);
  acknowledged_.clear();
  parameterChanged();
}

QString LaserController::siteName() const {
  if (siteId_.isEmpty()) return sitePoint_ ? tr("a point outside the atlas muscles") : tr("no site chosen");
  for (const auto& v : sites_) {
    const auto m = v.toMap();
    if (m.value(QStringLiteral("id")).toString() == siteId_) return m.value(QStringLiteral("name")).toString();
  }
  return siteId_;
}

void LaserController::setSiteId(const QString& id) {
  if (id == siteId_ || refuseWhileLocked()) return;
  siteId_ = id;
  // A site chosen by id (list, test): the region as a whole; a zone by its centre (below).
  siteView_.reset();
  sitePoint_.reset();
  acknowledged_.clear();
  parameterChanged();
}

void LaserController::setWavelengthNm(int nm) {
  if (nm == wavelengthNm_ || refuseWhileLocked()) return;
  wavelengthNm_ = nm;
  parameterChanged();
}

void LaserController::setPowerMw(double mw) {
  mw = std::max(0.0, std::round(mw));
  if (mw == powerMw_ || refuseWhileLocked()) return;
  powerMw_ = mw;
  parameterChanged();
}

void LaserController::setFrequencyHz(double hz) {
  hz = std::clamp(std::round(hz), 1.0, 10000.0);
  if (hz == frequencyHz_ || refuseWhileLocked()) return;
  frequencyHz_ = hz;
  parameterChanged();
}

void LaserController::setDutyPercent(double percent) {
  // The device takes per mille: keep the dose computed from the duty actually sent.
  percent = std::clamp(std::round(percent * 10.0) / 10.0, 0.1, 100.0);
  if (percent == dutyPercent_ || refuseWhileLocked()) return;
  dutyPercent_ = percent;
  parameterChanged();
}

void LaserController::setSpotAreaCm2(double cm2) {
  cm2 = std::max(0.0, cm2);
  if (cm2 == spotAreaCm2_ || refuseWhileLocked()) return;
  spotAreaCm2_ = cm2;
  parameterChanged();
}

void LaserController::setTargetIsEnergy(bool energy) {
  if (energy == targetIsEnergy_ || refuseWhileLocked()) return;
  targetIsEnergy_ = energy;
  parameterChanged();
}

void LaserController::setTargetEnergyJ(double j) {
  j = std::max(0.0, std::round(j * 10.0) / 10.0);
  if (j == targetEnergyJ_ || refuseWhileLocked()) return;
  targetEnergyJ_ = j;
  parameterChanged();
}

void LaserController::setTargetTimeS(double s) {
  s = std::max(0.0, std::round(s));
  if (s == targetTimeS_ || refuseWhileLocked()) return;
  targetTimeS_ = s;
  parameterChanged();
}

double LaserController::maxPowerMw() const {
  if (!deviceInfo_ || !deviceInfo_->has_laser()) return 0.0;
  for (const auto& source : deviceInfo_->laser().sources()) {
    if (static_cast<int>(source.wavelength_nm()) == wavelengthNm_) return source.max_power_mw();
  }
  return 0.0;
}

void LaserController::setEyewearConfirmed(bool confirmed) {
  if (confirmed == eyewearConfirmed_) return;
  // Withdrawing a confirmation is always allowed (someone came in without eyewear):
  // the supervisor then drops the item and stops. Giving one is a parameter change.
  if (confirmed && refuseWhileLocked()) return;
  eyewearConfirmed_ = confirmed;
  parameterChanged();
  if (!confirmed && parametersLocked()) evaluateNow();
}

void LaserController::setEyewearOd(double od) {
  od = std::clamp(std::round(od * 10.0) / 10.0, 0.0, 12.0);
  if (od == eyewearOd_ || refuseWhileLocked()) return;
  eyewearOd_ = od;
  parameterChanged();
}

double LaserController::requiredOd() const {
  const auto it = profile_.requiredOdByWavelength.find(wavelengthNm_);
  return it == profile_.requiredOdByWavelength.end() ? 0.0 : it->second;
}

bool LaserController::requiredOdKnown() const { return profile_.requiredOdByWavelength.contains(wavelengthNm_); }

void LaserController::setControlledAreaConfirmed(bool confirmed) {
  if (confirmed == controlledArea_) return;
  if (confirmed && refuseWhileLocked()) return;
  controlledArea_ = confirmed;
  parameterChanged();
  if (!confirmed && parametersLocked()) evaluateNow();
}

// ----- the case the rules see -----

const LaserController::EyewearRating* LaserController::recordedEyewear() const {
  // The weakest of the clinic's eyewear that covers this wavelength and mode: anyone in the
  // room may wear any of it, so the rules see the lowest rating.
  const EyewearRating* weakest = nullptr;
  const QString mode = pulsed() ? QStringLiteral("pulsed") : QStringLiteral("cw");
  for (const auto& e : profile_.eyewear) {
    if (wavelengthNm_ < e.minNm || wavelengthNm_ > e.maxNm) continue;
    if (e.mode != QLatin1String("both") && e.mode != mode) continue;
    if (!weakest || e.opticalDensity < weakest->opticalDensity) weakest = &e;
  }
  return weakest;
}

double LaserController::effectiveEyewearOd() const {
  if (eyewearOd_ > 0) return eyewearOd_;  // the therapist entered the eyewear in the room
  const auto* e = recordedEyewear();
  return e ? e->opticalDensity : 0.0;
}

QString LaserController::eyewearText() const {
  if (eyewearOd_ > 0) return tr("Eyewear entered here: OD %1").arg(eyewearOd_);
  if (const auto* e = recordedEyewear())
    return tr("Clinic eyewear for %1 nm: %2, OD %3").arg(wavelengthNm_).arg(e->label).arg(e->opticalDensity);
  return tr("No eyewear recorded for %1 nm: enter its OD.").arg(wavelengthNm_);
}

safety::LaserDevice LaserController::laserDevice() const {
  safety::LaserDevice device;
  device.maxPowerMw = maxPowerMw();
  device.firmwareWatchdog = deviceInfo_ && deviceInfo_->has_laser() && deviceInfo_->laser().firmware_watchdog();
  device.hardwareInterlockDeclared = profile_.hardwareInterlockDeclared;
  device.lastPowerCheck = profile_.lastPowerCheck;
  device.requiredOd = requiredOd();
  return device;
}

safety::LaserAct LaserController::laserAct() const {
  safety::LaserAct act;
  act.wavelengthNm = wavelengthNm_;
  act.mode = pulsed() ? safety::LaserMode::Pulsed : safety::LaserMode::Continuous;
  act.powerMw = powerMw_;  // CW power, or peak power when pulsed
  if (pulsed()) {
    act.pulseFrequencyHz = frequencyHz_;
    act.pulseWidthNs = dutyPercent_ / 100.0 / frequencyHz_ * 1e9;
  }
  act.spotAreaCm2 = spotAreaCm2_;
  act.points = 1;
  act.technique = safety::LaserTechnique::Contact;
  // Without the manufacturer's OD there is nothing to confirm against: never pretend.
  act.eyewearConfirmed = eyewearConfirmed_ && requiredOdKnown();
  act.eyewearOd = effectiveEyewearOd();
  act.controlledArea = controlledArea_;
  const auto dose = safety::computeLaserDose(act, laserDevice());
  act.timeS = targetIsEnergy_ ? dose.timeForEnergyS(targetEnergyJ_) : targetTimeS_;
  return act;
}

safety::Case LaserController::buildCase() const {
  safety::Case c;
  c.evaluatedAt = clock_();
  c.act = safety::ActKind::Laser;
  c.acknowledged = acknowledged_;
  const std::string site = siteId_.toStdString();
  if (siteId_.startsWith(QStringLiteral("zone:"))) {
    if (const auto* zone = atlas_.zone(site.substr(5))) {
      c.site.view = zone->view;
      c.site.point = anatomy::centroidOf(zone->polygon);
    }
  } else if (!site.empty()) {
    c.site.regionId = site;
  }
  if (sitePoint_) {  // a tap on the body map: zones come from the point itself
    c.site.view = siteView_;
    c.site.point = sitePoint_;
  }
  // Practitioner, screening, the site's conditions: not screened without a patient (PF-NOT-SCREENED).
  CaseInputs{practitioner_, patient_, sessionId_}.applyTo(c);
  c.laser = laserAct();
  c.laserDevice = laserDevice();
  // Only approvals given for exactly this case (approvalScope) reach the rules.
  c.supervisorApproved = approvals_.applicable([this](const QString& id) { return approvalScope(id); });
  return c;
}

supervisor::EmissionPlan LaserController::buildPlan() const {
  supervisor::EmissionPlan plan;
  plan.wavelengthNm = static_cast<std::uint32_t>(wavelengthNm_);
  plan.mode = pulsed() ? proto::LASER_MODE_PULSED : proto::LASER_MODE_CW;
  plan.powerMw = static_cast<std::uint32_t>(powerMw_);
  if (pulsed()) {
    plan.frequencyHz = static_cast<std::uint32_t>(frequencyHz_);
    plan.dutyPermille = static_cast<std::uint32_t>(std::lround(dutyPercent_ * 10.0));
  }
  const double walt = decision_.limits.contains("max_time_s") ? decision_.limits.at("max_time_s") : 300.0;
  if (targetIsEnergy_) {
    plan.targetEnergyJ = targetEnergyJ_;
    // Hard cap: the planned time at the lowest power the ±20 % check allows (1 / 0.8).
    plan.maxSeconds = std::min(plannedTimeS_ * 1.25, walt);
  } else {
    plan.maxSeconds = targetTimeS_;
  }
  return plan;
}

void LaserController::recomputePlannedDose() {
  const auto act = laserAct();
  planned_ = safety::computeLaserDose(act, laserDevice());
  plannedTimeS_ = act.timeS;
  emit doseChanged();
}

// ----- evaluation -----

void LaserController::scheduleEvaluation() { evaluationDelay_.start(); }

void LaserController::evaluateNow() {
  evaluationDelay_.stop();
  dropChangedApprovals();
  const auto input = buildCase();
  evaluated_ = true;
  evaluationError_.clear();
  try {
    decision_ = safety_.evaluate(input);
  } catch (const std::exception& e) {
    // No audit entry, no decision: nothing rules-derived may hold.
    decision_ = safety::Decision{};
    decision_.level = safety::Level::Refuse;
    evaluationError_ = QString::fromStdString(e.what());
    core::logger(core::subsystem::kSafety)->error("laser evaluation failed: {}", e.what());
  }
  refusals_.clear();
  for (const auto& fired : decision_.fired) {
    const bool acked = std::find(decision_.acksRequired.begin(), decision_.acksRequired.end(), fired.ruleId) ==
                           decision_.acksRequired.end() &&
                       fired.level == safety::Level::Ack;
    const QString id = QString::fromStdString(fired.ruleId);
    const auto* approval = fired.level == safety::Level::Supervisor &&
                                   std::find(decision_.supervisorRequired.begin(), decision_.supervisorRequired.end(),
                                             fired.ruleId) == decision_.supervisorRequired.end()
                               ? approvals_.find(id)
                               : nullptr;
    refusals_.append(QVariantMap{{QStringLiteral("ruleId"), id},
                                 {QStringLiteral("level"), qs(safety::toString(fired.level))},
                                 {QStringLiteral("message"), QString::fromStdString(fired.message)},
                                 {QStringLiteral("acknowledged"), acked},
                                 {QStringLiteral("approved"), approval != nullptr},
                                 {QStringLiteral("approvedBy"), approval ? approval->supervisor : QString()},
                                 {QStringLiteral("approvalReason"), approval ? approval->reason : QString()}});
  }
  decisionLevel_ = evaluationError_.isEmpty() ? qs(safety::toString(decision_.level)) : QStringLiteral("ERROR");
  const auto items = evaluationError_.isEmpty()
                         ? rulesItems()
                         : std::vector<std::pair<ChecklistItem, bool>>{
                               {ChecklistItem::PractitionerCredentialed, false}, {ChecklistItem::PatientScreened, false},
                               {ChecklistItem::SiteAllowed, false},              {ChecklistItem::EyewearConfirmed, false},
                               {ChecklistItem::ControlledArea, false},           {ChecklistItem::PowerCheckCurrent, false},
                               {ChecklistItem::IndependentStop, false},          {ChecklistItem::ParametersInLimits, false}};
  for (const auto& [item, holds] : items) supervisor_.setChecklistItem(item, holds, who());
  emit decisionChanged();
  emit checklistChanged();
}

bool LaserController::acknowledge(const QString& ruleId, const QString& reason) {
  if (parametersLocked()) {
    setMessage(tr("Acknowledge before arming: disarm first."));
    return false;
  }
  try {
    safety_.acknowledge(buildCase(), ruleId.toStdString(), reason.trimmed().toStdString());
  } catch (const std::exception& e) {
    setMessage(tr("Not acknowledged: %1").arg(QString::fromStdString(e.what())));
    return false;
  }
  acknowledged_.push_back(ruleId.toStdString());
  setMessage(tr("%1 acknowledged: %2").arg(ruleId, reason.trimmed()));
  evaluateNow();
  return true;
}

// ----- SUPERVISOR approvals -----

QJsonObject LaserController::approvalScope(const QString& ruleId) const {
  // Every laser SUPERVISOR rule (today LZ-CLINIC-PROTOCOL) is about this dose at this site:
  // the scope is everything the therapist sets for it. A new power check does not change it
  // (the prescription is the same; the ±20 % rules judge the measurement).
  QJsonObject site{{QStringLiteral("region_id"), siteId_}};
  if (sitePoint_) {
    site.insert(QStringLiteral("view"), siteView());
    site.insert(QStringLiteral("x"), sitePoint_->x);
    site.insert(QStringLiteral("y"), sitePoint_->y);
  }
  QJsonObject scope{{QStringLiteral("rule_id"), ruleId},
                    {QStringLiteral("session_id"), sessionId_},
                    {QStringLiteral("patient_id"), patient_ ? patient_->patientId : qint64{0}},
                    {QStringLiteral("practitioner"), practitioner_ ? QString::fromStdString(practitioner_->userId) : QString()},
                    {QStringLiteral("site"), site},
                    {QStringLiteral("wavelength_nm"), wavelengthNm_},
                    {QStringLiteral("mode"), pulsed() ? QStringLiteral("pulsed") : QStringLiteral("cw")},
                    {QStringLiteral("power_mw"), powerMw_},
                    {QStringLiteral("spot_area_cm2"), spotAreaCm2_}};
  if (pulsed()) {
    scope.insert(QStringLiteral("pulse_frequency_hz"), frequencyHz_);
    scope.insert(QStringLiteral("duty_percent"), dutyPercent_);
  }
  if (targetIsEnergy_) scope.insert(QStringLiteral("target_energy_j"), targetEnergyJ_);
  else scope.insert(QStringLiteral("target_time_s"), targetTimeS_);
  // The clinic protocol the supervisor approved a deviation from: a manager's change of this
  // wavelength's band ends the approval (the supervisor never saw the new band).
  if (const auto* table = safety_.settings().doseTableFor(wavelengthNm_)) {
    const safety::DoseBounds& c = table->clinic;
    scope.insert(QStringLiteral("clinic_protocol"),
                 QJsonObject{{QStringLiteral("table"), QString::fromStdString(table->id)},
                             {QStringLiteral("power_mw"), QJsonArray{c.powerMinMw, c.powerMaxMw}},
                             {QStringLiteral("time_s"), QJsonArray{c.timeMinS, c.timeMaxS}},
                             {QStringLiteral("energy_j"), QJsonArray{c.energyMinJ, c.energyMaxJ}}});
  }
  return scope;
}

void LaserController::dropChangedApprovals() {
  const QStringList dropped = approvals_.dropChanged([this](const QString& id) { return approvalScope(id); });
  if (!dropped.isEmpty())
    setMessage(tr("Supervisor approval of %1 no longer applies: the site, the dose or the clinic protocol changed. Ask again if it is still "
                  "needed.").arg(dropped.join(QStringLiteral(", "))));
}

QVariant LaserController::supervisorRequest(const QString& ruleId) {
  if (!parametersLocked()) evaluateNow();
  QString why;
  const std::string id = ruleId.toStdString();
  if (parametersLocked()) {
    why = tr("ask before arming: disarm first");
  } else if (!practitioner_) {
    why = tr("nobody is logged in");
  } else if (!patient_ || sessionId_ <= 0) {
    why = tr("an approval belongs to a session: open the patient's session first");
  } else if (std::find(decision_.supervisorRequired.begin(), decision_.supervisorRequired.end(), id) ==
             decision_.supervisorRequired.end()) {
    why = tr("%1 does not ask for a supervisor's approval for this case").arg(ruleId);
  }
  if (!why.isEmpty()) {
    setMessage(tr("Cannot ask a supervisor: %1.").arg(why));
    return QVariantMap{{QStringLiteral("available"), false}, {QStringLiteral("why"), why}};
  }
  QString ruleText;
  for (const auto& fired : decision_.fired)
    if (fired.ruleId == id) ruleText = QString::fromStdString(fired.message);
  const QJsonObject scope = approvalScope(ruleId);
  QJsonObject context = scope;  // the store's entry names the session, the patient and the inputs
  context.insert(QStringLiteral("act"), QStringLiteral("laser"));
  context.insert(QStringLiteral("planned"),
                 QJsonObject{{QStringLiteral("mean_power_mw"), planned_.effectiveMeanPowerMw},
                             {QStringLiteral("time_s"), plannedTimeS_},
                             {QStringLiteral("energy_j"), planned_.energyJ},
                             {QStringLiteral("fluence_j_per_cm2"), planned_.fluenceJPerCm2},
                             {QStringLiteral("irradiance_mw_per_cm2"), planned_.irradianceMwPerCm2},
                             {QStringLiteral("from_measurement"), planned_.fromMeasurement}});
  return QVariantMap{{QStringLiteral("available"), true},
          {QStringLiteral("ruleId"), ruleId},
          {QStringLiteral("ruleText"), ruleText},
          {QStringLiteral("context"), context.toVariantMap()},
          {QStringLiteral("scope"), SupervisorApprovals::scopeText(scope)}};
}

bool LaserController::applySupervisorApproval(const QString& ruleId, const QString& supervisorLogin,
                                              const QString& reason, qint64 auditSequence, const QString& scope) {
  if (parametersLocked()) {
    setMessage(tr("Not applied: the laser is armed. Disarm and ask again."));
    return false;
  }
  const QJsonObject now = approvalScope(ruleId);
  if (SupervisorApprovals::scopeText(now) != scope) {
    setMessage(tr("Not applied: the case changed while the supervisor was approving %1. Ask again.").arg(ruleId));
    return false;
  }
  try {
    safety_.approve(buildCase(), ruleId.toStdString(), supervisorLogin.trimmed().toStdString(),
                    reason.trimmed().toStdString());
  } catch (const std::exception& e) {
    setMessage(tr("Approval not applied: %1").arg(QString::fromStdString(e.what())));
    return false;
  }
  approvals_.add({ruleId, supervisorLogin.trimmed(), reason.trimmed(), auditSequence, now});
  setMessage(tr("%1 approved by %2 for this dose at this site in this session: %3")
                 .arg(ruleId, supervisorLogin.trimmed(), reason.trimmed()));
  evaluateNow();
  return true;
}

void LaserController::supervisorRefused(const QString& ruleId, const QString& why) {
  setMessage(tr("%1 not approved: %2").arg(ruleId, why));
}

// ----- the supervisor's view -----

void LaserController::refreshFromSupervisor() {
  refreshPending_.store(false);
  const auto previous = snapshot_.state;
  const bool wasLocked = parametersLocked();
  snapshot_ = supervisor_.snapshot();
  const auto now = snapshot_.state;
  tone_->setPlaying(now == ArmingState::Warning);
  if (now != previous) {
    // Eyewear and the controlled area are confirmed before EACH arming (SAFETY-RULES.md).
    if ((now == ArmingState::Disarmed || now == ArmingState::Fault) && (eyewearConfirmed_ || controlledArea_)) {
      eyewearConfirmed_ = false;
      controlledArea_ = false;
      emit parametersChanged();
      scheduleEvaluation();
    }
    if (now == ArmingState::Armed && previous == ArmingState::Checklist) {
      setMessage(tr("Armed. Hold EMIT or start the timed dose; a warning sounds first."));
    } else if (now == ArmingState::Emitting) {
      setMessage(targetIsEnergy_ ? tr("Emitting: stops by itself at %1 J. Stop ends it early.").arg(targetEnergyJ_, 0, 'f', 1)
                                 : tr("Emitting: stops by itself after %1 s. Stop ends it early.").arg(targetTimeS_, 0, 'f', 0));
    } else if (now == ArmingState::Done) {
      setMessage(tr("Dose complete: %1 J delivered.").arg(snapshot_.deliveredJ, 0, 'f', 2));
    } else if (now == ArmingState::Fault) {
      setMessage(tr("Emission stopped: %1. Check the cause, then reset the fault.").arg(snapshot_.lastFault));
    }
  }
  if (wasLocked != parametersLocked()) emit parametersChanged();
  emit supervisorChanged();
  emit checklistChanged();
}

QString LaserController::state() const { return qs(safety::toString(snapshot_.state)).toLower(); }

QString LaserController::stateText() const {
  switch (snapshot_.state) {
    case ArmingState::Disarmed: return tr("Disarmed");
    case ArmingState::Checklist: return tr("Checklist");
    case ArmingState::Armed: return tr("Armed");
    case ArmingState::Warning: return tr("Warning: emission in %1 s").arg(warningRemainingS(), 0, 'f', 1);
    case ArmingState::Emitting: return tr("EMITTING");
    case ArmingState::Paused: return tr("Paused");
    case ArmingState::Done: return tr("Dose complete");
    case ArmingState::Fault: return tr("FAULT");
  }
  return {};
}

double LaserController::timeLeftS() const {
  const auto s = snapshot_.state;
  const bool running = s == ArmingState::Warning || s == ArmingState::Emitting || s == ArmingState::Paused;
  if (!running) return s == ArmingState::Done ? 0.0 : plannedTimeS_;
  if (targetIsEnergy_) {
    const double left = std::max(0.0, targetEnergyJ_ - snapshot_.deliveredJ);
    if (snapshot_.measuredPowerMw > 0.5) return left / (snapshot_.measuredPowerMw / 1000.0);
    return std::max(0.0, plannedTimeS_ - snapshot_.elapsedS);
  }
  return std::max(0.0, targetTimeS_ - snapshot_.elapsedS);
}

double LaserController::progress() const {
  if (targetIsEnergy_) return targetEnergyJ_ > 0 ? std::min(1.0, snapshot_.deliveredJ / targetEnergyJ_) : 0.0;
  return targetTimeS_ > 0 ? std::min(1.0, snapshot_.elapsedS / targetTimeS_) : 0.0;
}

QString LaserController::glance() const {
  if (!snapshot_.linkConnected && snapshot_.state == ArmingState::Disarmed) return tr("laser: not connected");
  switch (snapshot_.state) {
    case ArmingState::Disarmed: return tr("laser disarmed");
    case ArmingState::Checklist: {
      const auto held = std::count(snapshot_.items.begin(), snapshot_.items.end(), true);
      return tr("checklist %1/%2").arg(held).arg(safety::kChecklistItemCount);
    }
    case ArmingState::Armed: return tr("LASER ARMED");
    case ArmingState::Warning: return tr("WARNING %1 s").arg(warningRemainingS(), 0, 'f', 1);
    case ArmingState::Emitting: return tr("EMITTING %1 J").arg(snapshot_.deliveredJ, 0, 'f', 1);
    case ArmingState::Paused: return tr("laser paused");
    case ArmingState::Done: return tr("dose done %1 J").arg(snapshot_.deliveredJ, 0, 'f', 1);
    case ArmingState::Fault: return tr("LASER FAULT");
  }
  return {};
}

bool LaserController::audioAvailable() const { return tone_->available(); }

// ----- checklist -----

QString LaserController::itemDetail(ChecklistItem item, bool holds) const {
  const auto& spec = specOf(item);
  QStringList why;
  if (spec.source == ItemSource::Device) {
    if (holds) return tr("reported by the laser");
    if (!snapshot_.linkConnected) return tr("no laser connected");
    if (!snapshot_.statusFresh) return tr("no status from the laser in the last 150 ms");
    if (item == ChecklistItem::InterlockClosed) return tr("the laser reports the interlock open");
    if (item == ChecklistItem::KeyOn) return tr("the laser reports the key off");
    return tr("the laser reports a fault");
  }
  if (!evaluationError_.isEmpty()) return tr("the rules could not be evaluated: %1").arg(evaluationError_);
  if (item == ChecklistItem::EyewearConfirmed && !requiredOdKnown()) {
    why << tr("the manufacturer's OD for %1 nm is not recorded on this console").arg(wavelengthNm_);
  } else if (item == ChecklistItem::EyewearConfirmed && holds) {
    return tr("confirmed: OD %1 ≥ %2 for %3 nm %4").arg(effectiveEyewearOd()).arg(requiredOd()).arg(wavelengthNm_)
        .arg(pulsed() ? tr("pulsed") : tr("CW"));
  }
  if (item == ChecklistItem::PractitionerCredentialed && !practitioner_) why << tr("nobody is logged in");
  if (item == ChecklistItem::PatientScreened && !patient_) why << tr("no patient is open");
  if (item == ChecklistItem::PowerCheckCurrent && !profile_.lastPowerCheck) why << tr("no power check recorded here");
  if (item == ChecklistItem::SiteAllowed && !siteChosen()) why << tr("no site chosen: tap it on the body map");
  for (const auto& fired : decision_.fired) {
    const bool mine = item == ChecklistItem::ParametersInLimits
                          ? !ruleBelongsToNamedItem(fired.ruleId)
                          : std::any_of(spec.rules.begin(), spec.rules.end(),
                                        [&](const char* id) { return fired.ruleId == id; });
    if (!mine) continue;
    if (fired.level == safety::Level::Ack &&
        std::find(decision_.acksRequired.begin(), decision_.acksRequired.end(), fired.ruleId) ==
            decision_.acksRequired.end())
      continue;
    if (fired.level == safety::Level::Supervisor &&
        std::find(decision_.supervisorRequired.begin(), decision_.supervisorRequired.end(), fired.ruleId) ==
            decision_.supervisorRequired.end())
      continue;  // approved by a second person for this case
    why << QStringLiteral("%1 (%2): %3")
               .arg(QString::fromStdString(fired.ruleId), qs(safety::toString(fired.level)),
                    QString::fromStdString(fired.message));
  }
  if (holds) return spec.source == ItemSource::Confirmed ? tr("confirmed") : tr("checked by the rules");
  if (why.isEmpty()) return evaluated_ ? tr("not yet sent to the supervisor") : tr("not evaluated yet");
  return why.join(QStringLiteral("; "));
}

QVariantList LaserController::checklist() const {
  QVariantList list;
  for (const auto& spec : kItems) {
    const bool holds = snapshot_.items[static_cast<std::size_t>(spec.item)];
    list.append(QVariantMap{{QStringLiteral("key"), qs(safety::toString(spec.item))},
                            {QStringLiteral("label"), tr(spec.label)},
                            {QStringLiteral("holds"), holds},
                            {QStringLiteral("source"), sourceName(spec.source)},
                            {QStringLiteral("detail"), itemDetail(spec.item, holds)}});
  }
  return list;
}

bool LaserController::allItemsHold() const {
  return std::all_of(snapshot_.items.begin(), snapshot_.items.end(), [](bool b) { return b; });
}

QStringList LaserController::missingInputs() const {
  QStringList missing;
  if (!practitioner_) missing << tr("No practitioner is logged in on this console: the laser credential cannot be checked.");
  if (!patient_) missing << tr("No patient is open: screening and consent are unknown.");
  if (!profile_.lastPowerCheck) missing << tr("The laser's last output power check is not recorded here.");
  if (!requiredOdKnown()) missing << tr("The manufacturer's eyewear OD for %1 nm is not recorded here.").arg(wavelengthNm_);
  if (!deviceInfo_) missing << tr("No laser is connected.");
  if (!siteChosen()) missing << tr("No site chosen: tap it on the body map.");
  return missing;
}

QString LaserController::missingItemsSentence() const {
  // Rules items from the latest decision (the supervisor gets them in the same order
  // before the arm request); device items from the supervisor.
  std::array<bool, safety::kChecklistItemCount> holds = snapshot_.items;
  if (evaluated_) {
    for (const auto& [item, value] : rulesItems()) {
      holds[static_cast<std::size_t>(item)] = evaluationError_.isEmpty() && value;
    }
  }
  QStringList parts;
  for (const auto& spec : kItems) {
    const bool h = holds[static_cast<std::size_t>(spec.item)];
    if (!h) parts << QStringLiteral("%1 — %2").arg(tr(spec.label), itemDetail(spec.item, false));
  }
  return parts.join(QStringLiteral("\n"));
}

// ----- requests -----

QString LaserController::who() const {
  return practitioner_ && !practitioner_->userId.empty() ? QString::fromStdString(practitioner_->userId)
                                                         : QStringLiteral("console (nobody logged in)");
}

void LaserController::setMessage(const QString& text) {
  if (text == message_) return;
  message_ = text;
  emit messageChanged();
}

void LaserController::beginChecklist() {
  if (snapshot_.state == ArmingState::Done) supervisor_.disarm(who());
  evaluateNow();
  supervisor_.beginChecklist(who());
  setMessage(tr("Checklist open: confirm eyewear and the controlled area, then slide to arm."));
}

void LaserController::arm() {
  evaluateNow();
  const QString missing = missingItemsSentence();
  if (!missing.isEmpty()) {
    setMessage(tr("Not armed. Missing:\n%1").arg(missing));
  } else {
    setMessage(tr("Arming…"));
  }
  // The supervisor decides (and audits a refusal); the page only asks.
  supervisor_.arm(who());
}

void LaserController::disarm() {
  supervisor_.disarm(who());
  setMessage(tr("Disarmed."));
}

void LaserController::startEmission() {
  if (snapshot_.state == ArmingState::Paused) {
    supervisor_.resume(who());
  } else {
    supervisor_.requestEmission(buildPlan(), who());
  }
  setMessage(tr("Warning: emission starts when the countdown ends."));
}

void LaserController::holdPressed() { startEmission(); }

void LaserController::holdReleased() {
  const auto s = snapshot_.state;
  if (s == ArmingState::Warning || s == ArmingState::Emitting) {
    supervisor_.pause(who());
    setMessage(tr("Paused: hold EMIT again to continue (a warning sounds first)."));
  }
}

void LaserController::pause() {
  supervisor_.pause(who());
  setMessage(tr("Paused."));
}

void LaserController::resume() {
  supervisor_.resume(who());
  setMessage(tr("Resuming after the warning."));
}

void LaserController::stop() {
  supervisor_.stop(who());
  setMessage(tr("Stopped by the therapist."));
}

void LaserController::resetFault() {
  supervisor_.resetFault(who());
  setMessage(tr("Fault reset. Open the checklist again to re-arm."));
}

}  // namespace tautband::ui
