// Console level: the laser page's decision follows a manager's change of the clinic settings
// (SafetyServices::applyClinicSettings, as SettingsServices calls it when the store answers
// or a manager saves): narrowing the clinic's 780-860 nm power maximum below the set power
// makes LZ-CLINIC-PROTOCOL fire at once, without any edit on the laser page.
#include "console/AuditContext.h"
#include "console/DeviceServices.h"
#include "console/SafetyServices.h"
#include "console/StoreSafetyAudit.h"
#include "core/SessionClock.h"
#include "safety/CaseJson.h"
#include "safety/ClinicSettings.h"
#include "store/AuditForwarder.h"
#include "ui/EmergencyStop.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace tautband;

namespace {

safety::TimePoint at(const char* utc) { return *safety::parseUtc(utc); }

bool fires(const ui::LaserController& laser, const QString& ruleId) {
  for (const QVariant& v : laser.refusals())
    if (v.toMap().value(QStringLiteral("ruleId")).toString() == ruleId) return true;
  return false;
}

}  // namespace

class ConsoleClinicSettingsTest : public QObject {
  Q_OBJECT
 private slots:
  void aChangedSettingChangesTheLaserDecision() {
    QTemporaryDir data;
    console::DeviceServices devices(data.path(), {});
    ui::EmergencyStop stop;
    store::AuditForwarder trail([](const QString&) {});
    console::AuditContext context;
    core::SessionClock clock;
    console::StoreSafetyAudit audit(trail, context, clock);
    console::SafetyServices services(devices.links(), stop, audit);

    ui::LaserController& laser = services.laser();
    laser.setClock([] { return at("2026-11-29T10:00:00Z"); });
    safety::Practitioner p;
    p.userId = "therapist.test";
    p.credentials.push_back({"laser", at("2027-06-30T00:00:00Z")});
    laser.setPractitioner(p);
    ui::LaserController::Patient patient;
    patient.screening.completed = true;
    patient.screening.consentRecorded = true;
    patient.screening.ageYears = 40;
    laser.setPatient(patient);
    laser.setSiteId(QStringLiteral("upper_trapezius_right"));
    laser.setWavelengthNm(808);
    laser.setPowerMw(100);
    laser.setSpotAreaCm2(0.5);
    laser.setTargetIsEnergy(true);
    laser.setTargetEnergyJ(4);
    laser.evaluateNow();
    QVERIFY2(!fires(laser, QStringLiteral("LZ-CLINIC-PROTOCOL")), qPrintable(laser.decisionLevel()));

    QJsonObject json = safety::clinicSettingsToJson(safety::defaultClinicSettings());
    QJsonArray tables = json.value("dose_tables").toArray();
    QJsonObject t = tables.at(0).toObject();
    QJsonObject clinic = t.value("clinic").toObject();
    clinic.insert("power_max_mw", 50);
    t.insert("clinic", clinic);
    tables.replace(0, t);
    json.insert("dose_tables", tables);
    services.applyClinicSettings(safety::overlayClinicSettings(safety::defaultClinicSettings(), json));

    QCOMPARE(services.evaluator().settings().doseTables[0].clinic.powerMaxMw, 50.0);
    QVERIFY(fires(laser, QStringLiteral("LZ-CLINIC-PROTOCOL")));
    // Back to the shipped figures: the rule no longer fires.
    services.applyClinicSettings(safety::defaultClinicSettings());
    QVERIFY(!fires(laser, QStringLiteral("LZ-CLINIC-PROTOCOL")));
    // Disarmed all along: no rule-change fault was raised.
    QVERIFY(services.supervisor().snapshot().state == safety::ArmingState::Disarmed);
  }
};

QTEST_MAIN(ConsoleClinicSettingsTest)
#include "test_console_clinic_settings.moc"
