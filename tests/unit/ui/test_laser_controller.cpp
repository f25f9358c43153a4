// The laser page's view model against the real rules engine and a real supervisor thread
// with no link: dose figures, the case it builds (and what it refuses to invent), the
// mapping of rules to checklist items, arming refusals in words, and every evaluation audited.
#include "safety/AuditedSafety.h"
#include "safety/CaseJson.h"
#include "safety/ClinicSettings.h"
#include "ui/LaserController.h"
#include "ui/WarningTone.h"

#include <QTest>

#include <algorithm>
#include <memory>

using namespace tautband;
using safety::ChecklistItem;
using ui::LaserController;

namespace {

class VectorSink : public safety::SafetyAuditSink {
 public:
  void record(const safety::SafetyAuditRecord& entry) override { entries.push_back(entry); }
  std::vector<safety::SafetyAuditRecord> entries;
};

safety::TimePoint at(const char* utc) { return *safety::parseUtc(utc); }

device::v1::DeviceInfo laserInfo(bool watchdog = true) {
  device::v1::DeviceInfo info;
  info.set_vendor("Test");
  auto* laser = info.mutable_laser();
  auto* cw = laser->add_sources();
  cw->set_wavelength_nm(808);
  cw->set_max_power_mw(500);
  auto* pulsed = laser->add_sources();
  pulsed->set_wavelength_nm(905);
  pulsed->set_max_power_mw(100);
  laser->set_firmware_watchdog(watchdog);
  return info;
}

struct Fixture {
  Fixture() {
    evaluator = std::make_unique<safety::Evaluator>(anatomy::Atlas::builtin(), safety::RuleTable::builtin(),
                                                    safety::defaultClinicSettings());
    audited = std::make_unique<safety::AuditedSafety>(*evaluator, sink);
    supervisor::LaserSupervisor::Options options;
    options.warningDelay = std::chrono::milliseconds(100);
    supervisor = std::make_unique<supervisor::LaserSupervisor>(options, nullptr);
    controller = std::make_unique<LaserController>(*supervisor, *audited, anatomy::Atlas::builtin());
    controller->setClock([] { return at("2026-11-29T10:00:00Z"); });
  }
  ~Fixture() {
    controller.reset();
    supervisor.reset();
  }

  // Everything the store and the login would provide, all in order.
  void provideEverything() {
    safety::Practitioner p;
    p.userId = "therapist.anna";
    p.credentials.push_back({"laser", at("2027-06-30T00:00:00Z")});
    controller->setPractitioner(p);
    LaserController::Patient patient;
    patient.label = QStringLiteral("Test patient");
    patient.screening.completed = true;
    patient.screening.consentRecorded = true;
    patient.screening.ageYears = 42;
    controller->setPatient(patient);
    LaserController::DeviceProfile profile;
    profile.requiredOdByWavelength = {{808, 4.0}, {905, 4.0}};
    profile.lastPowerCheck = safety::PowerCheck{at("2026-11-19T09:00:00Z"), 98.0, 100.0};
    controller->setDeviceProfile(profile);
    controller->setDeviceInfo(laserInfo());
    controller->setSiteId(QStringLiteral("upper_trapezius_right"));  // as a tap on the body map would
  }

  // The practitioner and patient of an open session, as ClinicalContext gives them.
  void openSession(qint64 sessionId, qint64 patientId = 3) {
    ui::CaseInputs inputs;
    safety::Practitioner p;
    p.userId = "therapist.anna";
    p.credentials.push_back({"laser", at("2027-06-30T00:00:00Z")});
    inputs.practitioner = p;
    ui::PatientFacts patient;
    patient.patientId = patientId;
    patient.label = QStringLiteral("Test patient");
    patient.screening.completed = true;
    patient.screening.consentRecorded = true;
    patient.screening.ageYears = 42;
    inputs.patient = patient;
    inputs.sessionId = sessionId;
    controller->setCaseInputs(inputs);
  }
  // Everything provided, in a session, with a dose outside the clinic protocol
  // (100 mW for 100 s: 10 J per point) and both confirmations given.
  void outsideTheProtocol() {
    provideEverything();
    openSession(7);
    controller->setEyewearOd(5);
    controller->setEyewearConfirmed(true);
    controller->setControlledAreaConfirmed(true);
    controller->setTargetIsEnergy(false);
    controller->setTargetTimeS(100);
    controller->evaluateNow();
  }
  bool required(const std::string& id) const {
    const auto& r = controller->decision().supervisorRequired;
    return std::find(r.begin(), r.end(), id) != r.end();
  }
  std::size_t approvalsAudited() const {
    return static_cast<std::size_t>(std::count_if(sink.entries.begin(), sink.entries.end(), [](const auto& e) {
      return e.kind == safety::SafetyAuditRecord::Kind::SupervisorApproval;
    }));
  }
  // What SupervisorDialog does once the store re-authenticated `supervisor`.
  bool approve(const QString& ruleId, const QString& supervisor, const QString& reason = "chronic tendinopathy, 10 J") {
    const auto request = controller->supervisorRequest(ruleId).toMap();
    if (!request.value("available").toBool()) return false;
    return controller->applySupervisorApproval(ruleId, supervisor, reason, 42, request.value("scope").toString());
  }

  bool itemHolds(const QString& key) const {
    for (const auto& v : controller->checklist()) {
      const auto m = v.toMap();
      if (m.value("key").toString() == key) return m.value("holds").toBool();
    }
    return false;
  }
  QString itemDetail(const QString& key) const {
    for (const auto& v : controller->checklist()) {
      const auto m = v.toMap();
      if (m.value("key").toString() == key) return m.value("detail").toString();
    }
    return {};
  }
  QString itemSource(const QString& key) const {
    for (const auto& v : controller->checklist()) {
      const auto m = v.toMap();
      if (m.value("key").toString() == key) return m.value("source").toString();
    }
    return {};
  }

  VectorSink sink;
  std::unique_ptr<safety::Evaluator> evaluator;
  std::unique_ptr<safety::AuditedSafety> audited;
  std::unique_ptr<supervisor::LaserSupervisor> supervisor;
  std::unique_ptr<LaserController> controller;
};

bool fired(const safety::Decision& d, const std::string& id) {
  const auto ids = d.ruleIds();
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

class LaserControllerTest : public QObject {
  Q_OBJECT

 private slots:
  void plannedDoseFromSetPowerWithoutAPowerCheck() {
    Fixture f;
    f.controller->setPowerMw(100);
    f.controller->setSpotAreaCm2(0.1);
    f.controller->setTargetEnergyJ(4);
    QCOMPARE(f.controller->plannedMeanPowerMw(), 100.0);
    QVERIFY(!f.controller->plannedFromMeasurement());
    QCOMPARE(f.controller->plannedTimeS(), 40.0);
    QCOMPARE(f.controller->plannedEnergyJ(), 4.0);
    QCOMPARE(f.controller->plannedFluenceJPerCm2(), 40.0);
    QCOMPARE(f.controller->plannedIrradianceMwPerCm2(), 1000.0);
  }

  void plannedDoseScaledByThePowerCheck() {
    Fixture f;
    LaserController::DeviceProfile profile;
    profile.lastPowerCheck = safety::PowerCheck{at("2026-11-19T09:00:00Z"), 90.0, 100.0};
    f.controller->setDeviceProfile(profile);
    f.controller->setPowerMw(100);
    f.controller->setTargetEnergyJ(4);
    QVERIFY(f.controller->plannedFromMeasurement());
    QCOMPARE(f.controller->plannedMeanPowerMw(), 90.0);
    QVERIFY(std::abs(f.controller->plannedTimeS() - 4.0 / 0.09) < 1e-9);
    // Time target: energy follows from the effective power.
    f.controller->setTargetIsEnergy(false);
    f.controller->setTargetTimeS(30);
    QVERIFY(std::abs(f.controller->plannedEnergyJ() - 2.7) < 1e-9);
  }

  void pulsedMeanPowerIsPeakTimesDuty() {
    Fixture f;
    f.controller->setWavelengthNm(905);
    f.controller->setPowerMw(80);
    f.controller->setFrequencyHz(5000);
    f.controller->setDutyPercent(25.04);  // rounds to the per mille the device takes
    QCOMPARE(f.controller->dutyPercent(), 25.0);
    QCOMPARE(f.controller->plannedMeanPowerMw(), 20.0);
    const auto c = f.controller->buildCase();
    QVERIFY(c.laser.mode == safety::LaserMode::Pulsed);
    QCOMPARE(c.laser.powerMw, 80.0);
    QCOMPARE(c.laser.pulseFrequencyHz, 5000.0);
    QVERIFY(std::abs(c.laser.pulseWidthNs - 50000.0) < 1e-6);  // 0.25 / 5000 Hz
    const auto plan = f.controller->buildPlan();
    QVERIFY(plan.mode == device::v1::LASER_MODE_PULSED);
    QCOMPARE(plan.dutyPermille, 250u);
    QCOMPARE(plan.frequencyHz, 5000u);
    QCOMPARE(plan.powerMw, 80u);
  }

  void planStopsAtTheTargetWithAHardTimeCap() {
    Fixture f;
    f.controller->setPowerMw(100);
    f.controller->setTargetEnergyJ(4);
    f.controller->evaluateNow();
    auto plan = f.controller->buildPlan();
    QCOMPARE(plan.targetEnergyJ, 4.0);
    QCOMPARE(plan.maxSeconds, 50.0);  // 40 s planned / 0.8 (the -20 % the power check allows)
    f.controller->setTargetIsEnergy(false);
    f.controller->setTargetTimeS(30);
    plan = f.controller->buildPlan();
    QCOMPARE(plan.targetEnergyJ, 0.0);
    QCOMPARE(plan.maxSeconds, 30.0);
  }

  void liveFiguresFollowTheSupervisorNotThePlan() {
    Fixture f;
    // No emission without a link: the live figures stay at zero whatever was planned.
    f.controller->setPowerMw(200);
    QTest::qWait(100);
    QCOMPARE(f.controller->deliveredJ(), 0.0);
    QCOMPARE(f.controller->measuredPowerMw(), 0.0);
    QVERIFY(!f.controller->emitting());
    QCOMPARE(f.controller->state(), QStringLiteral("disarmed"));
    QCOMPARE(f.controller->glance(), QStringLiteral("laser: not connected"));
  }

  void nothingMissingIsInvented() {
    Fixture f;
    f.controller->setEyewearConfirmed(true);
    f.controller->setEyewearOd(7);
    const auto c = f.controller->buildCase();
    QVERIFY(c.practitioner.userId.empty());
    QVERIFY(c.practitioner.credentials.empty());
    QVERIFY(!c.screening.completed);
    QVERIFY(!c.laserDevice.lastPowerCheck.has_value());
    QVERIFY(!c.laserDevice.firmwareWatchdog);  // no device declared one
    QVERIFY2(!c.laser.eyewearConfirmed, "no manufacturer OD to confirm against");
    f.controller->evaluateNow();
    const auto& d = f.controller->decision();
    for (const char* id : {"PR-CREDENTIAL-LASER", "PF-NOT-SCREENED", "LZ-POWER-CHECK-OVERDUE", "LZ-NO-WATCHDOG", "LZ-EYEWEAR"})
      QVERIFY2(fired(d, id), id);
    QCOMPARE(f.controller->missingInputs().size(), 6);
    QVERIFY(f.controller->missingInputs().join(' ').contains("logged in"));
  }

  void withEverythingProvidedTheRulesItemsHold() {
    Fixture f;
    f.provideEverything();
    f.controller->setPowerMw(100);
    f.controller->setTargetEnergyJ(4);
    f.controller->setEyewearOd(5);
    f.controller->setEyewearConfirmed(true);
    f.controller->setControlledAreaConfirmed(true);
    f.controller->evaluateNow();
    QVERIFY2(f.controller->decision().mayProceed(), f.controller->decision().message.c_str());
    QVERIFY(f.controller->missingInputs().isEmpty());
    for (const char* key : {"practitioner_credentialed", "patient_screened", "site_allowed", "eyewear_confirmed",
                            "controlled_area", "power_check_current", "parameters_in_limits", "independent_stop"}) {
      QTRY_VERIFY2(f.itemHolds(key), key);
    }
    // The device's own items never come from the page: no link, so they do not hold.
    for (const char* key : {"device_healthy", "interlock_closed", "key_on"}) {
      QVERIFY2(!f.itemHolds(key), key);
      QCOMPARE(f.itemSource(key), QStringLiteral("device"));
      QCOMPARE(f.itemDetail(key), QStringLiteral("no laser connected"));
    }
    QCOMPARE(f.itemSource("eyewear_confirmed"), QStringLiteral("you"));
    QCOMPARE(f.itemSource("site_allowed"), QStringLiteral("rules"));
  }

  void eachRulesItemNamesTheRuleThatTookItAway_data() {
    QTest::addColumn<QString>("item");
    QTest::addColumn<QString>("rule");
    QTest::newRow("eye zone") << "site_allowed" << "LZ-EYE";
    QTest::newRow("thyroid") << "site_allowed" << "LZ-THYROID";
    QTest::newRow("eyewear OD") << "eyewear_confirmed" << "LZ-EYEWEAR";
    QTest::newRow("area") << "controlled_area" << "LZ-CONTROLLED-AREA";
    QTest::newRow("overdue check") << "power_check_current" << "LZ-POWER-CHECK-OVERDUE";
    QTest::newRow("no watchdog") << "independent_stop" << "LZ-NO-WATCHDOG";
    QTest::newRow("credential") << "practitioner_credentialed" << "PR-CREDENTIAL-LASER";
    QTest::newRow("consent") << "patient_screened" << "PF-NO-CONSENT";
    QTest::newRow("device limit") << "parameters_in_limits" << "LZ-DEVICE-LIMIT";
  }
  void eachRulesItemNamesTheRuleThatTookItAway() {
    QFETCH(QString, item);
    QFETCH(QString, rule);
    Fixture f;
    f.provideEverything();
    f.controller->setPowerMw(100);
    f.controller->setEyewearOd(5);
    f.controller->setEyewearConfirmed(true);
    f.controller->setControlledAreaConfirmed(true);
    f.controller->evaluateNow();
    QTRY_VERIFY(f.itemHolds(item));
    if (rule == "LZ-EYE" || rule == "LZ-THYROID") {
      const QString kind = rule == "LZ-EYE" ? "eye" : "thyroid";
      QString zoneSite;
      for (const auto& v : f.controller->sites()) {
        const auto id = v.toMap().value("id").toString();
        if (id.startsWith("zone:") && anatomy::Atlas::builtin().zone(id.mid(5).toStdString())->kind == kind.toStdString())
          zoneSite = id;
      }
      QVERIFY2(!zoneSite.isEmpty(), qPrintable(kind));
      f.controller->setSiteId(zoneSite);
    } else if (rule == "LZ-EYEWEAR") {
      f.controller->setEyewearOd(3);
    } else if (rule == "LZ-CONTROLLED-AREA") {
      f.controller->setControlledAreaConfirmed(false);
    } else if (rule == "LZ-POWER-CHECK-OVERDUE") {
      LaserController::DeviceProfile profile;
      profile.requiredOdByWavelength = {{808, 4.0}};
      profile.lastPowerCheck = safety::PowerCheck{at("2026-10-01T09:00:00Z"), 98.0, 100.0};
      f.controller->setDeviceProfile(profile);
    } else if (rule == "LZ-NO-WATCHDOG") {
      f.controller->setDeviceInfo(laserInfo(/*watchdog=*/false));
    } else if (rule == "PR-CREDENTIAL-LASER") {
      safety::Practitioner p;
      p.userId = "therapist.bob";
      p.credentials.push_back({"dry_needling", at("2027-06-30T00:00:00Z")});
      f.controller->setPractitioner(p);
    } else if (rule == "PF-NO-CONSENT") {
      LaserController::Patient patient;
      patient.screening.completed = true;
      patient.screening.consentRecorded = false;
      f.controller->setPatient(patient);
    } else if (rule == "LZ-DEVICE-LIMIT") {
      f.controller->setPowerMw(600);  // the 808 nm source's maximum is 500 mW
    }
    f.controller->evaluateNow();
    QVERIFY2(fired(f.controller->decision(), rule.toStdString()), f.controller->decision().message.c_str());
    // The rules engine's own mapping agrees with what the supervisor now holds.
    for (const auto& [it, holds] : safety::checklistFromDecision(f.controller->decision())) {
      const QString key = QString::fromUtf8(safety::toString(it).data());
      QTRY_COMPARE(f.itemHolds(key), holds);
    }
    QVERIFY(!f.itemHolds(item));
    QVERIFY2(f.itemDetail(item).contains(rule), qPrintable(f.itemDetail(item)));
    QVERIFY(!f.itemHolds("parameters_in_limits"));
  }

  void armingWithAnUncheckedItemIsRefusedAndSaysWhich() {
    Fixture f;
    f.provideEverything();
    f.controller->setEyewearOd(5);
    f.controller->setControlledAreaConfirmed(true);  // eyewear NOT confirmed
    f.controller->beginChecklist();
    QTRY_COMPARE(f.controller->state(), QStringLiteral("checklist"));
    f.controller->arm();
    QVERIFY(f.controller->message().startsWith("Not armed"));
    QVERIFY(f.controller->message().contains("Eyewear"));
    QVERIFY(f.controller->message().contains("LZ-EYEWEAR"));
    QVERIFY(f.controller->message().contains("Laser connected and healthy"));
    QVERIFY(!f.controller->message().contains("Controlled area"));
    QTest::qWait(100);
    QCOMPARE(f.controller->state(), QStringLiteral("checklist"));
  }

  void warningDelayIsShownWithAPendingChange() {
    // In words: the delay in force, and a manager's change waiting for the arming under way.
    QCOMPARE(LaserController::describeWarningDelay(2000, std::nullopt), QStringLiteral("Warning delay 2 s"));
    QCOMPARE(LaserController::describeWarningDelay(2000, std::int64_t{1200}),
             QStringLiteral("Warning delay 2 s (1.2 s from the next arming)"));
    QCOMPARE(LaserController::describeWarningDelay(2000, std::int64_t{2000}), QStringLiteral("Warning delay 2 s"));
    // Live from the supervisor's snapshot: no arming under way, so a change applies at once.
    Fixture f;
    QTRY_COMPARE(f.controller->warningDelayText(), QStringLiteral("Warning delay 0.1 s"));
    f.supervisor->setWarningDelay(std::chrono::milliseconds(1500), QStringLiteral("manager"));
    QTRY_COMPARE(f.controller->warningDelayText(), QStringLiteral("Warning delay 1.5 s"));
  }

  void parametersAreNotLockedOutsideArming() {
    Fixture f;
    QVERIFY(!f.controller->parametersLocked());
    f.controller->setWavelengthNm(905);
    QVERIFY(f.controller->pulsed());
    QCOMPARE(f.controller->maxPowerMw(), 0.0);  // no device
    f.controller->setDeviceInfo(laserInfo());
    QCOMPARE(f.controller->maxPowerMw(), 100.0);
  }

  void everyEvaluationIsAudited() {
    Fixture f;
    f.controller->evaluateNow();
    QCOMPARE(f.sink.entries.size(), std::size_t(1));
    QVERIFY(f.sink.entries.back().kind == safety::SafetyAuditRecord::Kind::Refusal);
    f.provideEverything();
    f.controller->setEyewearOd(5);
    f.controller->setEyewearConfirmed(true);
    f.controller->setControlledAreaConfirmed(true);
    f.controller->evaluateNow();
    QVERIFY(f.sink.entries.back().kind == safety::SafetyAuditRecord::Kind::Evaluation);
    QCOMPARE(f.sink.entries.back().userId, std::string("therapist.anna"));
    // Parameter changes are evaluated after a short pause, once, not per step.
    const auto before = f.sink.entries.size();
    for (int i = 0; i < 5; ++i) f.controller->setPowerMw(110 + i * 10);
    QTRY_COMPARE(f.sink.entries.size(), before + 1);
    QCOMPARE(f.sink.entries.back().inputs.value("laser").toObject().value("power_mw").toDouble(), 150.0);
  }

  void anAckIsAcknowledgedWithAReasonAndAudited() {
    Fixture f;
    f.provideEverything();
    LaserController::Patient patient;
    patient.screening.completed = true;
    patient.screening.consentRecorded = true;
    patient.screening.ageYears = 42;
    patient.screening.photosensitisingMedication = true;
    f.controller->setPatient(patient);
    f.controller->setEyewearOd(5);
    f.controller->setEyewearConfirmed(true);
    f.controller->setControlledAreaConfirmed(true);
    f.controller->evaluateNow();
    QVERIFY(fired(f.controller->decision(), "LZ-PHOTOSENSITISER"));
    QVERIFY(!f.controller->decision().mayProceed());
    QTRY_VERIFY(!f.itemHolds("parameters_in_limits"));
    QVERIFY(f.itemDetail("parameters_in_limits").contains("LZ-PHOTOSENSITISER"));
    // No reason, or a rule that is not an ACK here: refused, with the reason in words.
    QVERIFY(!f.controller->acknowledge("LZ-PHOTOSENSITISER", "  "));
    QVERIFY(f.controller->message().contains("reason"));
    QVERIFY(!f.controller->acknowledge("LZ-EYE", "because"));
    const auto before = f.sink.entries.size();
    QVERIFY(f.controller->acknowledge("LZ-PHOTOSENSITISER", "Doxycycline stopped 3 weeks ago; patient informed"));
    QVERIFY(std::any_of(f.sink.entries.begin() + static_cast<long>(before), f.sink.entries.end(), [](const auto& e) {
      return e.kind == safety::SafetyAuditRecord::Kind::Acknowledgement && e.ruleIds == std::vector<std::string>{"LZ-PHOTOSENSITISER"};
    }));
    QVERIFY2(f.controller->decision().mayProceed(), f.controller->decision().message.c_str());
    QTRY_VERIFY(f.itemHolds("parameters_in_limits"));
    // A different site is a different act: the acknowledgement does not carry over.
    f.controller->setSiteId("rhomboids_right");
    f.controller->evaluateNow();
    QVERIFY(!f.controller->decision().mayProceed());
  }

  void aSupervisorApprovalLetsThisDoseProceed() {
    Fixture f;
    f.outsideTheProtocol();
    QVERIFY(fired(f.controller->decision(), "LZ-CLINIC-PROTOCOL"));
    QVERIFY(f.required("LZ-CLINIC-PROTOCOL"));
    QVERIFY(!f.controller->decision().mayProceed());
    QTRY_VERIFY(!f.itemHolds("parameters_in_limits"));
    QVERIFY(f.itemDetail("parameters_in_limits").contains("LZ-CLINIC-PROTOCOL"));
    // What the dialog sends to the store: the session, the patient and the rule's inputs.
    const auto request = f.controller->supervisorRequest("LZ-CLINIC-PROTOCOL").toMap();
    QVERIFY2(request.value("available").toBool(), qPrintable(request.value("why").toString()));
    const auto context = request.value("context").toMap();
    QCOMPARE(context.value("session_id").toLongLong(), 7);
    QCOMPARE(context.value("patient_id").toLongLong(), 3);
    QCOMPARE(context.value("practitioner").toString(), QStringLiteral("therapist.anna"));
    QCOMPARE(context.value("power_mw").toDouble(), 100.0);
    QCOMPARE(context.value("target_time_s").toDouble(), 100.0);
    QCOMPARE(context.value("site").toMap().value("region_id").toString(), QStringLiteral("upper_trapezius_right"));
    QVERIFY(context.value("planned").toMap().value("energy_j").toDouble() > 9.0);

    QVERIFY2(f.controller->applySupervisorApproval("LZ-CLINIC-PROTOCOL", "manager.max", "chronic tendinopathy, 10 J",
                                                   42, request.value("scope").toString()),
             qPrintable(f.controller->message()));
    QVERIFY(!f.required("LZ-CLINIC-PROTOCOL"));
    QVERIFY2(f.controller->decision().mayProceed(), f.controller->decision().message.c_str());
    QTRY_VERIFY(f.itemHolds("parameters_in_limits"));
    QCOMPARE(f.approvalsAudited(), std::size_t{1});
    const auto& entry = *std::find_if(f.sink.entries.begin(), f.sink.entries.end(), [](const auto& e) {
      return e.kind == safety::SafetyAuditRecord::Kind::SupervisorApproval;
    });
    QCOMPARE(entry.secondUserId, std::string("manager.max"));
    QCOMPARE(entry.userId, std::string("therapist.anna"));
    QCOMPARE(entry.reason, std::string("chronic tendinopathy, 10 J"));
    const auto approvals = f.controller->approvals();
    QCOMPARE(approvals.size(), 1);
    QCOMPARE(approvals.first().toMap().value("supervisor").toString(), QStringLiteral("manager.max"));
    bool shownApproved = false;
    for (const auto& r : f.controller->refusals())
      shownApproved |= r.toMap().value("ruleId") == "LZ-CLINIC-PROTOCOL" && r.toMap().value("approved").toBool();
    QVERIFY(shownApproved);
  }

  void anApprovalIsLostWhenTheSiteOrDoseChanges() {
    Fixture f;
    f.outsideTheProtocol();
    QVERIFY(f.approve("LZ-CLINIC-PROTOCOL", "manager.max"));
    QVERIFY(f.controller->decision().mayProceed());
    f.controller->setSiteId("rhomboids_right");
    f.controller->evaluateNow();
    QVERIFY(f.required("LZ-CLINIC-PROTOCOL"));
    QVERIFY(f.controller->approvals().isEmpty());
    QVERIFY2(f.controller->message().contains("no longer applies"), qPrintable(f.controller->message()));
    // Back to the first site: the old approval does not come back.
    f.controller->setSiteId("upper_trapezius_right");
    f.controller->evaluateNow();
    QVERIFY(f.required("LZ-CLINIC-PROTOCOL"));
    // A dose change is another case too.
    QVERIFY(f.approve("LZ-CLINIC-PROTOCOL", "manager.max"));
    f.controller->setTargetTimeS(110);
    f.controller->evaluateNow();
    QVERIFY(f.required("LZ-CLINIC-PROTOCOL"));
  }

  void anApprovalEndsWithTheSession() {
    Fixture f;
    f.outsideTheProtocol();
    QVERIFY(f.approve("LZ-CLINIC-PROTOCOL", "manager.max"));
    // The session ends (ClinicalContext withdraws the patient) and a new one opens.
    f.controller->withdrawPeople(QStringLiteral("the session ended"));
    QVERIFY(f.controller->approvals().isEmpty());
    f.openSession(8);
    f.controller->evaluateNow();
    QVERIFY(f.required("LZ-CLINIC-PROTOCOL"));
    // Same patient, another session through setCaseInputs alone: the same.
    QVERIFY(f.approve("LZ-CLINIC-PROTOCOL", "manager.max"));
    f.openSession(9);
    f.controller->evaluateNow();
    QVERIFY(f.controller->approvals().isEmpty());
    QVERIFY(f.required("LZ-CLINIC-PROTOCOL"));
  }

  void thePractitionerCannotApproveTheirOwnDose() {
    Fixture f;
    f.outsideTheProtocol();
    QVERIFY(!f.approve("LZ-CLINIC-PROTOCOL", "therapist.anna"));
    QVERIFY2(f.controller->message().contains("second authorised person"), qPrintable(f.controller->message()));
    QVERIFY(!f.approve("LZ-CLINIC-PROTOCOL", "manager.max", "  "));
    QVERIFY(f.required("LZ-CLINIC-PROTOCOL"));
    QCOMPARE(f.approvalsAudited(), std::size_t{0});
  }

  void refuseAndLimitRulesCannotBeApproved() {
    Fixture f;
    f.outsideTheProtocol();
    f.controller->setPowerMw(600);  // above the device's 500 mW
    f.controller->evaluateNow();
    QVERIFY(fired(f.controller->decision(), "LZ-DEVICE-LIMIT"));
    QVERIFY(!f.controller->supervisorRequest("LZ-DEVICE-LIMIT").toMap().value("available").toBool());
    const QString scope = ui::SupervisorApprovals::scopeText(f.controller->approvalScope("LZ-DEVICE-LIMIT"));
    QVERIFY(!f.controller->applySupervisorApproval("LZ-DEVICE-LIMIT", "manager.max", "I say so", 1, scope));
    QVERIFY2(f.controller->message().contains("not a supervisor-approvable rule"), qPrintable(f.controller->message()));
    f.controller->setPowerMw(100);
    f.controller->setSiteId("zone:orbit_right");
    f.controller->evaluateNow();
    QVERIFY(fired(f.controller->decision(), "LZ-EYE"));
    const QString eyeScope = ui::SupervisorApprovals::scopeText(f.controller->approvalScope("LZ-EYE"));
    QVERIFY(!f.controller->applySupervisorApproval("LZ-EYE", "manager.max", "I say so", 1, eyeScope));
    QVERIFY(!f.controller->decision().mayProceed());
    QCOMPARE(f.approvalsAudited(), std::size_t{0});
  }

  void noApprovalWithoutASessionOrWhileTheCaseChanged() {
    Fixture f;
    f.outsideTheProtocol();
    f.openSession(0);  // no session open
    f.controller->evaluateNow();
    const auto request = f.controller->supervisorRequest("LZ-CLINIC-PROTOCOL").toMap();
    QVERIFY(!request.value("available").toBool());
    QVERIFY(request.value("why").toString().contains("session"));
    f.openSession(7);
    const auto asked = f.controller->supervisorRequest("LZ-CLINIC-PROTOCOL").toMap();
    f.controller->setPowerMw(120);  // changed while the supervisor typed
    QVERIFY(!f.controller->applySupervisorApproval("LZ-CLINIC-PROTOCOL", "manager.max", "ok", 3,
                                                   asked.value("scope").toString()));
    QVERIFY(f.controller->message().contains("changed"));
    QCOMPARE(f.approvalsAudited(), std::size_t{0});
  }

  void siteListHasTheAtlasMusclesAndTheRefusedZones() {
    Fixture f;
    const auto sites = f.controller->sites();
    int regions = 0, zones = 0;
    for (const auto& v : sites) (v.toMap().value("riskZone").toBool() ? zones : regions)++;
    QCOMPARE(regions, static_cast<int>(anatomy::Atlas::builtin().regions().size()));
    QVERIFY(zones >= 3);
    // Nothing is preselected: the therapist chooses the site on the body map.
    QCOMPARE(f.controller->siteId(), QString());
    QCOMPARE(f.controller->siteName(), QStringLiteral("no site chosen"));
    f.controller->selectPoint("back", 0.60, 0.165);
    QCOMPARE(f.controller->siteId(), QStringLiteral("upper_trapezius_right"));
    QCOMPARE(f.controller->siteName(), QStringLiteral("Upper trapezius (right)"));
    QCOMPARE(f.controller->siteView(), QStringLiteral("back"));
    const auto c = f.controller->buildCase();
    QVERIFY(c.site.point && c.site.regionId == std::optional<std::string>("upper_trapezius_right"));
  }

  void warningToneIsAValidWav() {
    const auto wav = ui::WarningTone::beepWav();
    QVERIFY(wav.startsWith("RIFF"));
    QCOMPARE(wav.mid(8, 8), QByteArray("WAVEfmt "));
    QCOMPARE(wav.size(), 44 + 2 * 11025);
    // Silence after the 150 ms beep.
    QCOMPARE(wav.mid(44 + 2 * 4000, 16), QByteArray(16, '\0'));
    QVERIFY(wav.mid(44 + 2 * 100, 64) != QByteArray(64, '\0'));
  }
};

QTEST_GUILESS_MAIN(LaserControllerTest)
#include "test_laser_controller.moc"
