// A manager's change of the clinic settings against an armed laser, through the console's own
// wiring (SafetyServices: evaluator, LaserController, supervisor thread, audit) and
// `tautband-sim laser` over a pty:
//  - a change that makes this dose no longer allowed: the supervisor takes Fault(RuleChanged),
//    emission-off bytes first (the simulator reports emission off by our command, or never
//    emits at all), the page says why in words, the audit has the fault with its reason;
//  - a change that does not affect this case (the other wavelength's table, a needling
//    figure, the warning delay) does NOT fault; a new warning delay waits for the arming to end.
#include "../devices/SimProcess.h"
#include "CapturingAuditSink.h"
#include "NeedlingTestSupport.h"
#include "console/AuditContext.h"
#include "console/SafetyServices.h"
#include "console/StoreSafetyAudit.h"
#include "core/SessionClock.h"
#include "devices/host/LinkManager.h"
#include "devices/native/NativeSerialLink.h"
#include "safety/CaseJson.h"
#include "safety/ClinicSettings.h"
#include "store/AuditForwarder.h"
#include "ui/EmergencyStop.h"

#include <QJsonArray>
#include <QTest>


using namespace tautband;
using ArmingState = safety::ArmingState;

namespace {

safety::TimePoint at(const char* utc) { return *safety::parseUtc(utc); }

using CapturingSink = testsupport::CapturingAuditSink;

// The shipped settings with a few keys changed, as the Settings page would save them.
safety::ClinicSettings settingsWith(const std::function<void(QJsonObject&)>& change, const char* version) {
  QJsonObject json = safety::clinicSettingsToJson(safety::defaultClinicSettings());
  change(json);
  json.insert(QStringLiteral("settings_version"), QString::fromLatin1(version));
  return safety::overlayClinicSettings(safety::defaultClinicSettings(), json);
}

void setTableFigure(QJsonObject& json, int table, const char* block, const char* key, double value) {
  QJsonArray tables = json.value(QStringLiteral("dose_tables")).toArray();
  QJsonObject t = tables.at(table).toObject();
  QJsonObject b = t.value(QLatin1String(block)).toObject();
  b.insert(QLatin1String(key), value);
  t.insert(QLatin1String(block), b);
  tables.replace(table, t);
  json.insert(QStringLiteral("dose_tables"), tables);
}

class Console {
 public:
  Console()
      : sim_(QStringList{QStringLiteral("laser")}),
        links_([](const QString& name, const QString& path, const devices::LinkManager::Request&) {
          return devices::makeNativeSerialLink(name, path, 115200);
        }),
        trail_([](const QString&) {}),
        audit_(trail_, context_, clock_) {
    sink_ = std::make_shared<CapturingSink>();
    trail_.attach(sink_);
    services_ = std::make_unique<console::SafetyServices>(links_, stop_, audit_);
    // A short warning so the test reaches emission quickly (item 1 applies it live).
    services_->applyClinicSettings(
        settingsWith([](QJsonObject& j) { j.insert(QStringLiteral("laser_warning_delay_s"), 1.0); }, "test-fast-warning"));
    auto& laser = services_->laser();
    laser.setClock([] { return at("2026-11-29T10:00:00Z"); });
    laser.setCaseInputs(testsupport::ScreenedCase{.practitioner = "therapist.test", .credential = "laser"}.inputs());
    ui::LaserController::DeviceProfile profile;
    profile.requiredOdByWavelength = {{808, 4.0}, {905, 4.0}};
    profile.lastPowerCheck = safety::PowerCheck{at("2026-11-19T09:00:00Z"), 198.0, 200.0};
    laser.setDeviceProfile(profile);
    laser.setSiteId(QStringLiteral("upper_trapezius_right"));
    laser.setWavelengthNm(808);
    laser.setPowerMw(200);
    laser.setTargetIsEnergy(true);
    laser.setTargetEnergyJ(4);  // 20 s at 200 mW: inside the default protocol, longer than any test here
    laser.setEyewearOd(5);
    if (!sim_.path().isEmpty()) links_.add(sim_.path());
  }
  ~Console() {
    services_.reset();
    links_.shutdown();
    trail_.drain();
  }

  bool waitState(ArmingState state, int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs && services_->supervisor().snapshot().state != state) QTest::qWait(5);
    return services_->supervisor().snapshot().state == state;
  }

  // Confirmations, checklist, arm. A fault from a starved simulator is a reason to retry.
  bool arm() {
    auto& laser = services_->laser();
    QElapsedTimer t;
    t.start();
    while (!laser.linkConnected() && t.elapsed() < 5000) QTest::qWait(10);
    laser.setEyewearConfirmed(true);
    laser.setControlledAreaConfirmed(true);
    laser.evaluateNow();
    laser.beginChecklist();
    t.restart();
    while (!laser.allItemsHold() && t.elapsed() < 5000) QTest::qWait(10);
    if (!laser.allItemsHold()) {
      qWarning() << "not all items hold:" << laser.checklist() << laser.message();
      return false;
    }
    laser.arm();
    return waitState(ArmingState::Armed, 3000);
  }

  bool startEmitting() {
    services_->laser().startEmission();
    return waitState(ArmingState::Emitting, 5000) &&
           sim_.waitFor(QStringLiteral("emission"), 5000, QStringLiteral("on"), true).has_value();
  }

  SimProcess sim_;
  devices::LinkManager links_;
  ui::EmergencyStop stop_;
  store::AuditForwarder trail_;
  std::shared_ptr<CapturingSink> sink_;
  console::AuditContext context_;
  core::SessionClock clock_;
  console::StoreSafetyAudit audit_;
  std::unique_ptr<console::SafetyServices> services_;
};

// The 780-860 nm clinic protocol's power maximum below the 200 mW this dose uses.
safety::ClinicSettings tighterProtocol() {
  return settingsWith([](QJsonObject& j) { setTableFigure(j, 0, "clinic", "power_max_mw", 150); }, "test-tighter");
}

}  // namespace

class RuleChangeFaultTest : public QObject {
  Q_OBJECT

 private slots:
  void tighteningTheProtocolWhileEmittingFaultsWithEmissionOffFirst() {
    Console console;
    if (console.sim_.path().isEmpty()) QFAIL("tautband-sim did not start (it is built with the tests)");
    QVERIFY(console.arm());
    QVERIFY(console.startEmitting());
    const auto& laser = console.services_->laser();
    QTRY_VERIFY_WITH_TIMEOUT(laser.emitting(), 2000);  // the page follows the supervisor

    console.services_->applyClinicSettings(tighterProtocol());
    QVERIFY(console.waitState(ArmingState::Fault, 3000));
    // The device's own report: off, by our command (not its watchdog, not its max duration).
    const auto off = console.sim_.waitFor(QStringLiteral("emission"), 3000, QStringLiteral("on"), false);
    QVERIFY(off.has_value());
    QCOMPARE(off->value(QStringLiteral("reason")).toString(), QStringLiteral("emission_off command"));
    // The page says why, in words, naming the rule that now applies.
    QTRY_VERIFY_WITH_TIMEOUT(laser.faultText().contains(QStringLiteral("a safety rule changed")), 2000);
    QVERIFY2(laser.faultText().contains(QStringLiteral("LZ-CLINIC-PROTOCOL now applies")), qPrintable(laser.faultText()));
    QVERIFY2(laser.faultText().contains(QStringLiteral("clinic's settings changed")), qPrintable(laser.faultText()));
    // Audited: the supervisor's fault entry with the reason and the emission-off write.
    console.trail_.drain();
    QTRY_VERIFY_WITH_TIMEOUT(!console.sink_->last(QStringLiteral("laser.state"), QStringLiteral("reason")).isEmpty(), 2000);
    const auto fault = console.sink_->last(QStringLiteral("laser.state"), QStringLiteral("reason"));
    QCOMPARE(fault.value(QStringLiteral("reason")).toString(), QStringLiteral("a safety rule changed"));
    QVERIFY(fault.value(QStringLiteral("emission_off_written")).toBool());
    QVERIFY(fault.value(QStringLiteral("detail")).toString().contains(QStringLiteral("LZ-CLINIC-PROTOCOL")));
    // No auto-resume: asking again does nothing until the fault is reset.
    console.services_->laser().startEmission();
    QVERIFY(!console.sim_.waitFor(QStringLiteral("emission"), 500, QStringLiteral("on"), true));
    QVERIFY(console.services_->supervisor().snapshot().state == ArmingState::Fault);
  }

  void tighteningTheProtocolWhileArmedFaultsAndNothingEverEmits() {
    Console console;
    if (console.sim_.path().isEmpty()) QFAIL("tautband-sim did not start (it is built with the tests)");
    QVERIFY(console.arm());
    console.services_->applyClinicSettings(tighterProtocol());
    QVERIFY(console.waitState(ArmingState::Fault, 3000));
    QTRY_VERIFY_WITH_TIMEOUT(console.services_->laser().faultText().contains(QStringLiteral("LZ-CLINIC-PROTOCOL")), 2000);
    // A request now is ignored; the simulator never reports emission on.
    console.services_->laser().startEmission();
    QVERIFY(!console.sim_.waitFor(QStringLiteral("emission"), 800, QStringLiteral("on"), true));
    // The supervisor faulted (RuleChanged), not merely disarmed for a lost item.
    QCOMPARE(console.sink_->count(QStringLiteral("laser.state"), QStringLiteral("reason"),
                                  QStringLiteral("a safety rule changed")), 1);
  }

  // A supervisor approved this dose outside the clinic protocol (200 mW against 10-150 mW);
  // a manager then narrows the band further. The same rule fires, still approved, at the same
  // level: only its finding moved. The supervisor never saw the new band, so the laser faults
  // and the approval ends.
  void narrowingTheBandOfAnApprovedDeviationFaultsAndEndsTheApproval() {
    Console console;
    if (console.sim_.path().isEmpty()) QFAIL("tautband-sim did not start (it is built with the tests)");
    console.services_->applyClinicSettings(settingsWith(
        [](QJsonObject& j) {
          j.insert(QStringLiteral("laser_warning_delay_s"), 1.0);
          setTableFigure(j, 0, "clinic", "power_max_mw", 150);
        },
        "test-150"));
    auto& laser = console.services_->laser();
    // An approval belongs to a session: the same practitioner and patient, in session 42.
    laser.setCaseInputs(
        testsupport::ScreenedCase{.practitioner = "therapist.test", .sessionId = 42, .credential = "laser"}.inputs());
    laser.evaluateNow();
    const QVariantMap request = laser.supervisorRequest(QStringLiteral("LZ-CLINIC-PROTOCOL")).toMap();
    QVERIFY2(request.value(QStringLiteral("available")).toBool(), qPrintable(request.value(QStringLiteral("why")).toString()));
    QVERIFY(laser.applySupervisorApproval(QStringLiteral("LZ-CLINIC-PROTOCOL"), QStringLiteral("supervisor.test"),
                                          QStringLiteral("documented chronic case"), 7,
                                          request.value(QStringLiteral("scope")).toString()));
    QVERIFY(console.arm());
    console.services_->applyClinicSettings(settingsWith(
        [](QJsonObject& j) {
          j.insert(QStringLiteral("laser_warning_delay_s"), 1.0);
          setTableFigure(j, 0, "clinic", "power_max_mw", 120);
        },
        "test-120"));
    QVERIFY(console.waitState(ArmingState::Fault, 3000));
    QTRY_VERIFY_WITH_TIMEOUT(laser.faultText().contains(QStringLiteral("LZ-CLINIC-PROTOCOL now")), 2000);
    QVERIFY2(laser.faultText().contains(QStringLiteral("-120.0 mW)")), qPrintable(laser.faultText()));
    // The approval was for the 10-150 mW band: it no longer reaches the rules.
    QTRY_VERIFY_WITH_TIMEOUT(laser.buildCase().supervisorApproved.empty(), 2000);
  }

  void aChangeThatDoesNotAffectThisCaseDoesNotFault() {
    Console console;
    if (console.sim_.path().isEmpty()) QFAIL("tautband-sim did not start (it is built with the tests)");
    QVERIFY(console.arm());
    QVERIFY(console.startEmitting());
    // The 904/905 nm table, a needling figure and the warning delay: none is this 808 nm dose.
    console.services_->applyClinicSettings(settingsWith(
        [](QJsonObject& j) {
          setTableFigure(j, 1, "clinic", "energy_max_j", 3);
          j.insert(QStringLiteral("thoracic_observation_min"), 20);
          j.insert(QStringLiteral("laser_warning_delay_s"), 1.5);
        },
        "test-unrelated"));
    QTest::qWait(600);
    const auto snapshot = console.services_->supervisor().snapshot();
    QVERIFY2(snapshot.state == ArmingState::Emitting, qPrintable(snapshot.lastFault));
    QVERIFY(!console.sim_.waitFor(QStringLiteral("emission"), 100, QStringLiteral("on"), false));
    QCOMPARE(console.sink_->count(QStringLiteral("laser.state"), QStringLiteral("reason"),
                                  QStringLiteral("a safety rule changed")), 0);
    // The new warning delay waits for this arming to end; the running one keeps 1 s.
    QCOMPARE(snapshot.warningDelayMs, std::int64_t{1000});
    QVERIFY(snapshot.pendingWarningDelayMs.has_value());
    QCOMPARE(*snapshot.pendingWarningDelayMs, std::int64_t{1500});
    console.services_->laser().stop();
    QTRY_COMPARE_WITH_TIMEOUT(console.services_->supervisor().snapshot().warningDelayMs, std::int64_t{1500}, 3000);
    QVERIFY(!console.services_->supervisor().snapshot().pendingWarningDelayMs.has_value());
  }
};

QTEST_MAIN(RuleChangeFaultTest)
#include "test_rule_change_fault.moc"
