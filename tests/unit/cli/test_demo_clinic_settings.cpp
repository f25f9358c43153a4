// The demo clinic (`tautband-cli demo`, `make run`) is a configured clinic: its laser protocol
// is stored as the real clinic settings (safety.clinic_settings, validated like `settings set`)
// with per-muscle presets (laser.presets), which is what the console's SettingsServices and
// `tautband-cli settings show` read; no made-up key that nothing reads.
#include "anatomy/Atlas.h"
#include "cli/commands/DemoClinic.h"
#include "safety/CaseJson.h"
#include "safety/ClinicSettings.h"
#include "safety/Evaluator.h"
#include "safety/LaserPresets.h"
#include "safety/RuleTable.h"
#include "store/ClinicSettingsStore.h"
#include "store/Database.h"
#include "store/Store.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace tautband;

namespace {

std::optional<QJsonObject> stored(store::Store& s, const char* key) {
  return s.writer().run([key](store::WriteTransaction& tx) -> std::optional<QJsonObject> {
    const auto value = store::readClinicSetting(tx, QString::fromLatin1(key));
    if (!value) return std::nullopt;
    return value->value.toObject();
  });
}

bool storedAtAll(store::Store& s, const char* key) {
  return s.writer().run([key](store::WriteTransaction& tx) {
    return store::readClinicSetting(tx, QString::fromLatin1(key)).has_value();
  });
}

// 808 nm CW at 400 mW for 20 s: inside WALT (5-500 mW) and the shipped clinic protocol,
// above the demo clinic's own 300 mW.
constexpr const char* kStrongDose = R"({
  "format": "tautband.safety.case", "format_version": 1, "evaluated_at_utc": "2026-11-29T10:00:00Z",
  "act": "laser",
  "screening": {"completed": true, "consent_recorded": true, "height_cm": 170, "weight_kg": 63.6, "age_years": 42},
  "practitioner": {"user_id": "therapist.anna", "credentials": [{"kind": "laser", "expires_utc": "2027-06-30T00:00:00Z"}]},
  "site": {"region_id": "forearm_extensors_right", "view": "back", "x": 0.77, "y": 0.4},
  "laser": {"wavelength_nm": 808, "mode": "cw", "power_mw": 400, "spot_area_cm2": 0.5, "time_s": 20, "points": 1,
            "technique": "contact", "eyewear_confirmed": true, "eyewear_od": 5, "controlled_area_confirmed": true},
  "laser_device": {"max_power_mw": 500, "firmware_watchdog": true, "hardware_interlock_declared": false,
                   "required_od": 4,
                   "last_power_check": {"at_utc": "2026-11-19T09:00:00Z", "measured_mw": 98, "nominal_mw": 100}}
})";

bool fires(const safety::Decision& d, const std::string& id) {
  const auto ids = d.ruleIds();
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

class DemoClinicSettingsTest : public QObject {
  Q_OBJECT
 private slots:
  void theDemoStoresAValidProtocolAndPresets() {
    QTemporaryDir dir;
    const std::filesystem::path path = dir.path().toStdString();
    auto store = store::Store::open(
        store::StoreSettings::fromLocation(QString::fromStdString(store::StoreSettings::defaultSqlitePath(path).string()),
                                           path),
        store::PasswordPolicy::minimumForTests());
    cli::buildDemoClinic(*store, 5, 1);

    const auto settingsJson = stored(*store, store::kClinicSettingsKey);
    const auto presetsJson = stored(*store, store::kLaserPresetsKey);
    QVERIFY2(settingsJson, "the demo stores safety.clinic_settings");
    QVERIFY2(presetsJson, "the demo stores laser.presets");
    QVERIFY2(!storedAtAll(*store, "laser.protocol.max_power_mw"), "no key that nothing reads");

    // What the console and `settings show` use: the stored settings hold, nothing is dropped.
    const auto c = safety::effectiveConfiguration(safety::defaultClinicSettings(), settingsJson, presetsJson,
                                                  anatomy::Atlas::builtin());
    QVERIFY2(c.problems.empty(), c.problems.empty() ? "" : c.problems.front().c_str());
    QVERIFY(c.settingsFromStore);
    QCOMPARE(QString::fromStdString(c.settings.settingsVersion), QStringLiteral("demo-clinic-1"));
    safety::validate(c.settings);  // throws on a figure the shipped sources do not allow
    const auto table = std::find_if(c.settings.doseTables.begin(), c.settings.doseTables.end(),
                                    [](const auto& t) { return t.id == cli::kDemoProtocolTable; });
    QVERIFY(table != c.settings.doseTables.end());
    QCOMPARE(table->clinic.powerMaxMw, cli::kDemoProtocolMaxPowerMw);
    QCOMPARE(table->walt.powerMaxMw, 500.0);  // WALT untouched

    // The presets list: one per muscle, every one kept under the stored settings.
    QCOMPARE(c.presets.presets.size(), std::size_t{3});
    for (const char* muscle : {"upper_trapezius", "levator_scapulae", "quadratus_lumborum"}) {
      const auto* p = c.presets.forMuscle(muscle);
      QVERIFY2(p, muscle);
      QVERIFY2(p->powerMw <= cli::kDemoProtocolMaxPowerMw, muscle);
    }
    QCOMPARE(c.presets.forMuscle("upper_trapezius")->energyPerPointJ, 4.0);

    // The stored protocol is the one the rules use: 400 mW passes the shipped protocol and
    // asks for a supervisor under the demo clinic's.
    const safety::Case strong = safety::caseFromJson(kStrongDose);
    const safety::Evaluator shipped(anatomy::Atlas::builtin(), safety::RuleTable::builtin(), safety::defaultClinicSettings());
    const safety::Evaluator demo(anatomy::Atlas::builtin(), safety::RuleTable::builtin(), c.settings);
    QVERIFY(!fires(shipped.decide(strong), "LZ-CLINIC-PROTOCOL"));
    QVERIFY(fires(demo.decide(strong), "LZ-CLINIC-PROTOCOL"));
  }
};

QTEST_GUILESS_MAIN(DemoClinicSettingsTest)
#include "test_demo_clinic_settings.moc"
