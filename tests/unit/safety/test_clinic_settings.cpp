// Clinic settings and laser presets (issue 7: "where the facts page says clinic-configurable,
// ship its default and a manager setting"): the JSON round trip, the refusal of any value that
// loosens a sourced bound (naming it), presets inside the WALT bounds, the store round trip
// with the audit of old and new value, the manager-only permission, and a decision that
// changes when the evaluator's settings are replaced.
#include "SafetyTestSupport.h"

#include "safety/Evaluator.h"
#include "safety/LaserPresets.h"
#include "store/AuditQuery.h"
#include "store/ClinicSettingsStore.h"
#include "store/Store.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace tautband;
using namespace tautband::safety;

namespace {

QJsonObject presetsJson(const QJsonArray& list) {
  return QJsonObject{{"format", "tautband.laser.presets"}, {"format_version", 1}, {"presets", list}};
}

QJsonObject trapeziusPreset(double energyJ = 4.0) {
  return QJsonObject{{"muscle", "upper_trapezius"}, {"wavelength_nm", 808},      {"mode", "cw"},
                     {"power_mw", 200},            {"spot_area_cm2", 0.5},       {"energy_per_point_j", energyJ},
                     {"points", 3}};
}

QString refusal(const std::function<void()>& f) {
  try {
    f();
  } catch (const SettingsError& e) {
    return QString::fromUtf8(e.what());
  }
  return {};
}

QJsonObject withClinicBound(QJsonObject settings, int table, const char* where, const char* field, double value) {
  QJsonArray tables = settings.value("dose_tables").toArray();
  QJsonObject t = tables.at(table).toObject();
  QJsonObject b = t.value(QLatin1String(where)).toObject();
  b.insert(QLatin1String(field), value);
  t.insert(QLatin1String(where), b);
  tables.replace(table, t);
  settings.insert("dose_tables", tables);
  return settings;
}

}  // namespace

class ClinicSettingsTest : public QObject {
  Q_OBJECT
 private slots:
  void defaultsRoundTripThroughJson() {
    const ClinicSettings shipped = defaultClinicSettings();
    const QByteArray text = QJsonDocument(clinicSettingsToJson(shipped)).toJson();
    const ClinicSettings back = clinicSettingsFromJson(std::string_view(text.constData(), std::size_t(text.size())));
    QCOMPARE(clinicSettingsToJson(back), clinicSettingsToJson(shipped));
    QCOMPARE(back.doseTables.size(), shipped.doseTables.size());
  }

  void overlayChangesOnlyWhatIsStored() {
    const ClinicSettings shipped = defaultClinicSettings();
    const ClinicSettings s = overlayClinicSettings(shipped, QJsonObject{{"bilateral_thorax_window_h", 48}});
    QCOMPARE(s.bilateralThoraxWindowH, 48.0);
    QCOMPARE(s.thoracicObservationMin, shipped.thoracicObservationMin);
  }

  void looseningASourcedBoundIsRefusedNamingIt() {
    const ClinicSettings shipped = defaultClinicSettings();
    const QJsonObject base = clinicSettingsToJson(shipped);
    QVERIFY(refusal([&] { overlayClinicSettings(shipped, {{"bilateral_thorax_window_h", 12}}); })
                .contains("bilateral_thorax_window_h"));
    QVERIFY(refusal([&] { overlayClinicSettings(shipped, {{"estim_density_ack_ma_per_cm2", 3}}); })
                .contains("estim_density_ack_ma_per_cm2"));
    QVERIFY(refusal([&] { overlayClinicSettings(shipped, {{"power_tolerance_fraction", 0.3}}); })
                .contains("power_tolerance_fraction"));
    // A warning too short to act on (1 ms meets "positive") or absurdly long is refused.
    QVERIFY(refusal([&] { overlayClinicSettings(shipped, {{"laser_warning_delay_s", 0.001}}); })
                .contains("laser_warning_delay_s"));
    QVERIFY(refusal([&] { overlayClinicSettings(shipped, {{"laser_warning_delay_s", 3600}}); })
                .contains("laser_warning_delay_s"));
    QCOMPARE(overlayClinicSettings(shipped, {{"laser_warning_delay_s", 1.0}}).laserWarningDelayS, 1.0);
    // 904/905 nm: WALT 100 mW may not be widened to 200 mW (still inside the 5-500 mW absolute).
    const QString walt = refusal([&] { overlayClinicSettings(shipped, withClinicBound(base, 1, "walt", "power_max_mw", 200)); });
    QVERIFY2(walt.contains("904-905nm") && walt.contains("WALT power_max_mw"), qPrintable(walt));
    const QString clinic =
        refusal([&] { overlayClinicSettings(shipped, withClinicBound(base, 0, "clinic", "time_max_s", 400)); });
    QVERIFY2(clinic.contains("780-860nm") && clinic.contains("inside the WALT"), qPrintable(clinic));
    QVERIFY(refusal([&] { overlayClinicSettings(shipped, {{"dose_tables", QJsonArray{base.value("dose_tables").toArray().at(0)}}}); })
                .contains("904-905nm is missing"));
    QVERIFY(refusal([&] { overlayClinicSettings(shipped, {{"not_a_setting", 1}}); }).contains("not_a_setting"));
    // Stricter is fine.
    QCOMPARE(overlayClinicSettings(shipped, withClinicBound(base, 0, "clinic", "power_max_mw", 300))
                 .doseTables[0].clinic.powerMaxMw,
             300.0);
  }

  void presetsStayInsideTheWaltBounds() {
    const ClinicSettings s = defaultClinicSettings();
    const auto& atlas = anatomy::Atlas::builtin();
    const LaserPresets ok = laserPresetsFromJson(presetsJson({trapeziusPreset()}));
    validate(ok, s, atlas);
    QCOMPARE(ok.forMuscle("upper_trapezius")->timePerPointS(), 20.0);
    // 100 J at 200 mW is 500 s per point: beyond WALT's 300 s.
    const QString tooLong = refusal([&] { validate(laserPresetsFromJson(presetsJson({trapeziusPreset(100)})), s, atlas); });
    QVERIFY2(tooLong.contains("upper_trapezius") && tooLong.contains("WALT 20-300 s"), qPrintable(tooLong));
    QJsonObject nowhere = trapeziusPreset();
    nowhere.insert("muscle", "no_such_muscle");
    QVERIFY(refusal([&] { validate(laserPresetsFromJson(presetsJson({nowhere})), s, atlas); }).contains("not a muscle"));
    QJsonObject strong = trapeziusPreset(40);
    strong.insert("wavelength_nm", 905);
    strong.insert("mode", "pulsed");
    strong.insert("pulse_frequency_hz", 1000);
    strong.insert("duty_percent", 100);
    QVERIFY(refusal([&] { validate(laserPresetsFromJson(presetsJson({strong})), s, atlas); }).contains("WALT 5-100 mW"));
    QVERIFY(refusal([&] { validate(laserPresetsFromJson(presetsJson({trapeziusPreset(), trapeziusPreset()})), s, atlas); })
                .contains("more than one"));
    // Round trip.
    QCOMPARE(laserPresetsToJson(ok), presetsJson({trapeziusPreset()}));
  }

  void effectiveConfigurationLeavesOutWhatNoLongerHolds() {
    const auto c = effectiveConfiguration(defaultClinicSettings(), QJsonObject{{"bilateral_thorax_window_h", 1}},
                                          presetsJson({trapeziusPreset(), trapeziusPreset(100)}), anatomy::Atlas::builtin());
    QVERIFY(!c.settingsFromStore);
    QCOMPARE(c.settings.bilateralThoraxWindowH, 24.0);
    QCOMPARE(c.presets.presets.size(), std::size_t(1));
    QCOMPARE(c.problems.size(), std::size_t(2));
  }

  void replacingTheSettingsChangesADecision() {
    Evaluator evaluator(anatomy::Atlas::builtin(), RuleTable::builtin(), defaultClinicSettings());
    // 9.8 J at one point: outside the shipped clinic protocol (1-8 J) -> SUPERVISOR.
    const Case input = caseFromFile((test::casesDir() + "/examples/laser_outside_protocol_supervisor.json").toStdString());
    const auto fires = [&](const char* id) {
      const Decision d = evaluator.decide(input);
      return std::any_of(d.fired.begin(), d.fired.end(), [&](const auto& f) { return f.ruleId == id; });
    };
    QVERIFY(fires("LZ-CLINIC-PROTOCOL"));
    evaluator.replaceSettings(overlayClinicSettings(
        defaultClinicSettings(), withClinicBound(clinicSettingsToJson(defaultClinicSettings()), 0, "clinic", "energy_max_j", 10)));
    QVERIFY(!fires("LZ-CLINIC-PROTOCOL"));
    // A refused replacement keeps the settings in use.
    ClinicSettings bad = defaultClinicSettings();
    bad.bilateralThoraxWindowH = 1;
    QVERIFY_THROWS_EXCEPTION(SettingsError, evaluator.replaceSettings(bad));
    QCOMPARE(evaluator.settings().doseTables[0].clinic.energyMaxJ, 10.0);
  }

  void storeRoundTripIsAuditedAndManagerOnly() {
    QTemporaryDir dir;
    auto settings = store::StoreSettings::fromLocation(dir.filePath("t.db"), std::filesystem::path(dir.path().toStdString()));
    auto s = store::Store::open(settings, store::PasswordPolicy::minimumForTests());
    const auto admin = s->users().createFirstAdmin("admin", "A", "long-enough-pw").get();
    const auto manager =
        s->users().createUser(admin.actor(), "manager", "M", store::Role::Manager, "long-enough-pw").get().actor();
    const auto therapist =
        s->users().createUser(admin.actor(), "thera", "T", store::Role::Therapist, "long-enough-pw").get().actor();
    const QString key = QString::fromLatin1(store::kClinicSettingsKey);
    const auto read = [&] {
      return s->writer().submit([&](store::WriteTransaction& tx) { return store::readClinicSetting(tx, key); }).get();
    };
    QVERIFY(!read());
    const QJsonObject first = clinicSettingsToJson(overlayClinicSettings(defaultClinicSettings(), {{"bilateral_thorax_window_h", 36}}));
    s->clinical().setClinicSetting(manager, key, first).get();
    const QJsonObject second = clinicSettingsToJson(overlayClinicSettings(defaultClinicSettings(), {{"bilateral_thorax_window_h", 48}}));
    s->clinical().setClinicSetting(manager, key, second).get();
    const auto stored = read();
    QVERIFY(stored);
    QCOMPARE(stored->changedBy, manager.userId);
    const auto c = effectiveConfiguration(defaultClinicSettings(), stored->value.toObject(), std::nullopt, anatomy::Atlas::builtin());
    QVERIFY(c.settingsFromStore);
    QCOMPARE(c.settings.bilateralThoraxWindowH, 48.0);
    QVERIFY_THROWS_EXCEPTION(store::PermissionDenied, s->clinical().setClinicSetting(therapist, key, first).get());
    QCOMPARE(read()->value.toObject(), second);
    store::AuditQuery query;
    query.actionPrefixes = {"setting.changed"};
    const auto rows = store::queryAudit(s->writer(), manager, query).get();
    QCOMPARE(rows.size(), std::size_t(2));
    QVERIFY(rows.front().details.contains("\\\"bilateral_thorax_window_h\\\":36"));  // previous of the newest
    QVERIFY(rows.front().details.contains("\\\"bilateral_thorax_window_h\\\":48"));
  }
};

QTEST_GUILESS_MAIN(ClinicSettingsTest)
#include "test_clinic_settings.moc"
