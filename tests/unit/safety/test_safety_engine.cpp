// Numbers and behaviour behind the rules: depth model, lung limit, technique conditions,
// bilateral exception, e-stim density, laser dose, loaders' error messages, determinism,
// and the audit wrapper.

#include "SafetyTestSupport.h"
#include "safety/AuditedSafety.h"
#include "safety/Evaluator.h"
#include "safety/LaserDose.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <random>

using namespace tautband::safety;
using namespace tautband::safety::test;

namespace {

const Evaluator& engine() {
  static const Evaluator evaluator(tautband::anatomy::Atlas::builtin(), RuleTable::builtin(), defaultClinicSettings());
  return evaluator;
}

Case patched(const char* base, const char* patchJson) {
  const QJsonObject patch = QJsonDocument::fromJson(QByteArray(patchJson)).object();
  return caseFromJsonObject(mergePatch(baseCase(QString::fromLatin1(base)), patch));
}

bool fired(const Decision& d, const char* id) {
  const auto ids = d.ruleIds();
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

double limit(const Decision& d, const char* key) {
  const auto it = d.limits.find(key);
  return it == d.limits.end() ? std::nan("") : it->second;
}

template <typename Error, typename Fn>
std::string errorOf(Fn fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

bool has(const std::string& text, const char* fragment) { return text.find(fragment) != std::string::npos; }

constexpr const char* kRhomboid = R"({"site":{"region_id":"rhomboids_right","view":"back","x":0.55,"y":0.25},)";

}  // namespace

class TestSafetyEngine : public QObject {
  Q_OBJECT

 private slots:
  void kimModelFiguresAreWhatThePaperImplies() {
    const DepthModel* m = RuleTable::builtin().depthModelForZone("lung_field_posterior_right");
    QVERIFY(m);
    QVERIFY(m == RuleTable::builtin().depthModelForZone("lung_apex_posterior_left"));
    QVERIFY(!RuleTable::builtin().depthModelForZone("lung_field_anterior_right"));
    // Regression reproduces the reported mean: 0.380 * 21 - 4.301 = 3.679 cm (reported 3.7).
    QVERIFY(std::abs(m->predictedCm(21.0) - 3.679) < 1e-9);
    // It reaches zero at BMI 4.301 / 0.380 = 11.32 (the facts page's "<= 0 below 11.3" holds).
    QVERIFY(m->predictedCm(11.3) < 0.0 && m->predictedCm(11.4) > 0.0);
    // Population lower prediction bound: 3.7 - 1.677 * 0.7 * sqrt(1 + 1/50) = 2.514 cm.
    QVERIFY(std::abs(m->populationLowerBoundCm() - 2.5144) < 1e-3);
    // mean - 1 SD (3.0 cm) would be far less conservative than a 95 % prediction bound.
    QVERIFY(m->populationLowerBoundCm() < 3.7 - 0.7);
    // At BMI 15 (edge of the data) the bound is 1.7 mm; outside the range there is no bound.
    QVERIFY(std::abs(*m->conservativeDepthCm(15.0) - 0.167) < 2e-3);
    QVERIFY(!m->conservativeDepthCm(14.9));
    QVERIFY(!m->conservativeDepthCm(27.1));
    QVERIFY(!m->conservativeDepthCm(std::nan("")));
    // Monotone in BMI up to the population cap, never above it.
    double previous = -1.0;
    for (double bmi = 15.0; bmi <= 27.0; bmi += 0.5) {
      const double d = *m->conservativeDepthCm(bmi);
      QVERIFY(d >= previous - 1e-12);
      QVERIFY(d <= m->populationLowerBoundCm() + 1e-12);
      previous = d;
    }
  }

  void lungLimitIsReportedAndTechniqueIsACondition() {
    // BMI 22.0: limit = population bound 25.1 mm (rounded down).
    const Decision ok = engine().decide(patched("needling", (std::string(kRhomboid) + R"("needling":{"needle_length_mm":25}})").c_str()));
    QCOMPARE(limit(ok, "max_needle_length_mm"), 25.1);
    QVERIFY(ok.lungFieldInsertion && ok.thoracicNeedling);
    // Pincer does not count on the rhomboids (not liftable): 30 mm is refused and the message says why.
    const Decision pincer = engine().decide(patched(
        "needling", (std::string(kRhomboid) + R"("needling":{"needle_length_mm":30,"technique":"pincer","direction":"tangential"}})").c_str()));
    QVERIFY(fired(pincer, "DN-LUNG-LENGTH"));
    QVERIFY(has(pincer.message, "cannot be lifted"));
    // Rib bracketing counts over the rhomboids (palpable rib), unless aimed toward the thorax.
    QVERIFY(!fired(engine().decide(patched("needling", (std::string(kRhomboid) + R"("needling":{"needle_length_mm":30,"technique":"rib_bracketing"}})").c_str())),
                   "DN-LUNG-LENGTH"));
    QVERIFY(fired(engine().decide(patched("needling", (std::string(kRhomboid) + R"("needling":{"needle_length_mm":30,"technique":"rib_bracketing","direction":"toward_thorax"}})").c_str())),
                  "DN-LUNG-LENGTH"));
    // Infraspinatus lies on the scapula: no palpable rib there, so rib bracketing does not count.
    const Decision infra = engine().decide(patched("needling",
        R"({"site":{"region_id":"infraspinatus_right","view":"back","x":0.66,"y":0.23},"needling":{"needle_length_mm":40,"technique":"rib_bracketing"}})"));
    QVERIFY(fired(infra, "DN-LUNG-LENGTH"));
  }

  void lungLimitOutsideTheModelNeedsUltrasound() {
    // BMI 31 is outside the model's 15-27 range: REFUSE unless a measured depth is recorded.
    const std::string obese = std::string(kRhomboid) + R"("screening":{"weight_kg":90},"needling":{"needle_length_mm":25}})";
    const Decision refused = engine().decide(patched("needling", obese.c_str()));
    QVERIFY(fired(refused, "DN-LUNG-NO-MODEL"));
    QVERIFY(has(refused.message, "outside the kim2002_posterior data range"));
    const std::string measured =
        std::string(kRhomboid) + R"("screening":{"weight_kg":90},"needling":{"needle_length_mm":30,"ultrasound_depth_mm":36}})";
    const Decision withUs = engine().decide(patched("needling", measured.c_str()));
    QVERIFY(!fired(withUs, "DN-LUNG-NO-MODEL"));
    QCOMPARE(limit(withUs, "max_needle_length_mm"), 31.0);  // 36 mm - 5 mm margin
    QVERIFY(!fired(withUs, "DN-LUNG-LENGTH"));
    // Missing height or weight is also "outside the model".
    const Decision noBmi = engine().decide(patched("needling", (std::string(kRhomboid) + R"("screening":{"weight_kg":null}})").c_str()));
    QVERIFY(fired(noBmi, "DN-LUNG-NO-MODEL"));
  }

  void lungDiseaseTightensTheLimit() {
    const Decision d = engine().decide(patched(
        "needling", (std::string(kRhomboid) + R"("screening":{"previous_pneumothorax":true},"needling":{"needle_length_mm":21}})").c_str()));
    QCOMPARE(limit(d, "max_needle_length_mm"), 20.1);  // 25.14 * 0.8 = 20.11, rounded down
    QVERIFY(fired(d, "DN-LUNG-LENGTH") && fired(d, "DN-LUNG-DISEASE"));
    QVERIFY(d.level == Level::Refuse);
    const Decision shorter = engine().decide(patched(
        "needling", (std::string(kRhomboid) + R"("screening":{"previous_pneumothorax":true},"needling":{"needle_length_mm":15}})").c_str()));
    QVERIFY(shorter.level == Level::Supervisor);
    QCOMPARE(shorter.supervisorRequired, std::vector<std::string>{"DN-LUNG-DISEASE"});
  }

  void bilateralExceptionIsOnlyLiftedUpperTrapeziusInsideTheLimit() {
    const char* trap = R"({"site":{"region_id":"upper_trapezius_right","view":"back","x":0.62,"y":0.185},
      "history":{"lung_field_insertions":[{"at_utc":"2026-11-29T07:00:00Z","side":"left"}]},"needling":%1})";
    auto run = [&](const char* needling) {
      return engine().decide(patched("needling", QString::fromLatin1(trap).arg(QLatin1String(needling)).toLatin1().constData()));
    };
    const Decision lifted = run(R"({"needle_length_mm":25,"technique":"pincer","direction":"tangential"})");
    QVERIFY(!fired(lifted, "DN-LUNG-BILATERAL-24H"));
    QVERIFY(!lifted.lungFieldInsertion);
    QVERIFY(lifted.thoracicNeedling);  // still needs pneumothorax advice at close
    const Decision tooLong = run(R"({"needle_length_mm":30,"technique":"pincer","direction":"tangential"})");
    QVERIFY(fired(tooLong, "DN-LUNG-BILATERAL-24H"));
    QVERIFY(!fired(tooLong, "DN-LUNG-LENGTH"));  // pincer counts for the length rule...
    const Decision flat = run(R"({"needle_length_mm":25})");
    QVERIFY(fired(flat, "DN-LUNG-BILATERAL-24H"));  // ...but only lifted + inside the limit is exempt
    QVERIFY(flat.lungFieldInsertion);
    // Exactly at the 24 h boundary still counts; a second later it does not.
    const std::string atEdge = std::string(kRhomboid) +
        R"("needling":{"needle_length_mm":20},"history":{"lung_field_insertions":[{"at_utc":"2026-11-28T10:00:00Z","side":"left"}]}})";
    QVERIFY(fired(engine().decide(patched("needling", atEdge.c_str())), "DN-LUNG-BILATERAL-24H"));
    const std::string past = std::string(kRhomboid) +
        R"("needling":{"needle_length_mm":20},"history":{"lung_field_insertions":[{"at_utc":"2026-11-28T09:59:59Z","side":"left"}]}})";
    QVERIFY(!fired(engine().decide(patched("needling", past.c_str())), "DN-LUNG-BILATERAL-24H"));
  }

  void estimDensityFigures() {
    // 0.25 mm x 20 mm exposed: pi * 0.025 cm * 2 cm = 0.157 cm^2; 20 mA, 250 us, 10 Hz biphasic:
    // duty 0.005, r.m.s. 1.414 mA, density 9.0 mA/cm^2.
    const Decision d = engine().decide(patched("needling_estim", R"({"needling":{"estim":{"current_peak_ma":20,"frequency_hz":10}}})"));
    QVERIFY(std::abs(limit(d, "estim_exposed_area_cm2") - 0.15708) < 1e-4);
    QVERIFY(std::abs(limit(d, "current_rms_ma") - 1.41421) < 1e-4);
    QVERIFY(std::abs(limit(d, "current_density_rms_ma_per_cm2") - 9.0032) < 1e-3);
    // The peak current that would reach exactly 2 mA/cm^2 r.m.s.
    QVERIFY(std::abs(limit(d, "max_current_peak_ma_below_density_threshold") - 4.4429) < 1e-3);
    QCOMPARE(d.acksRequired, std::vector<std::string>{"ES-DENSITY"});
  }

  void laserDoseFromMeasuredPower() {
    // CW 100 mW set, power check 98/100: 98 mW effective; 40 s -> 3.92 J; 0.1 cm^2 -> 39.2 J/cm^2, 980 mW/cm^2.
    const Decision d = engine().decide(caseFromJsonObject(baseCase("laser")));
    QVERIFY(std::abs(limit(d, "mean_power_mw") - 98.0) < 1e-9);
    QVERIFY(std::abs(limit(d, "energy_j") - 3.92) < 1e-9);
    QVERIFY(std::abs(limit(d, "fluence_j_per_cm2") - 39.2) < 1e-9);
    QVERIFY(std::abs(limit(d, "irradiance_mw_per_cm2") - 980.0) < 1e-9);
    QVERIFY(std::abs(limit(d, "protocol_max_time_s") - 8.0 / 0.098) < 1e-9);  // clinic 8 J
    QCOMPARE(limit(d, "max_time_s"), 300.0);
    // A device report wins over the check; pulsed mean power = peak * width * frequency.
    Case pulsed = patched("laser", R"({"laser":{"wavelength_nm":905,"mode":"pulsed","power_mw":null,"peak_power_mw":25000,
        "pulse_frequency_hz":10000,"pulse_width_ns":200},"laser_device":{"reported_mean_power_mw":48}})");
    const LaserDose dose = computeLaserDose(pulsed.laser, pulsed.laserDevice);
    QVERIFY(std::abs(dose.requestedMeanPowerMw - 50.0) < 1e-9);
    QCOMPARE(dose.effectiveMeanPowerMw, 48.0);
    QVERIFY(dose.fromMeasurement);
    QVERIFY(std::abs(dose.timeForEnergyS(2.0) - 2.0 / 0.048) < 1e-9);
    QVERIFY(engine().decide(pulsed).fired.empty());
  }

  void decisionsAreDeterministicAndSurviveAJsonRoundTrip() {
    const Case c = patched("needling_estim", R"({"screening":{"diabetes":true,"pacemaker":true},"needling":{"estim":{"current_peak_ma":30}}})");
    const Evaluation first = engine().evaluate(c);
    const Evaluation again = engine().evaluate(c);
    QCOMPARE(first.decision.ruleIds(), again.decision.ruleIds());
    QCOMPARE(first.decision.message, again.decision.message);
    QVERIFY(first.decision.limits == again.decision.limits);
    const Case roundTripped = caseFromJsonObject(caseToJson(c));
    const Decision third = engine().decide(roundTripped);
    QCOMPARE(third.ruleIds(), first.decision.ruleIds());
    QVERIFY(third.limits == first.decision.limits);
    QCOMPARE(caseToJson(roundTripped), caseToJson(c));
  }

  // Random damage to valid cases (wrong types, deletions, extreme numbers) must end in either a
  // CaseFormatError or a decision: never a crash (run under ASan/UBSan too).
  void damagedCasesNeverCrash() {
    std::mt19937 rng(20261129);
    const QJsonValue junk[] = {QJsonValue(), QJsonValue(-1), QJsonValue(1e308), QJsonValue(0), QJsonValue("x"),
                               QJsonValue(QJsonArray{}), QJsonValue(QJsonObject{}), QJsonValue(true), QJsonValue(0.5)};
    int parsed = 0, rejected = 0;
    for (int i = 0; i < 3000; ++i) {
      static const char* kBases[] = {"needling", "needling_estim", "laser", "session_close"};
      QJsonObject root = baseCase(QString::fromLatin1(kBases[i % 4]));
      // Damage one value two levels deep at most.
      const QStringList keys = root.keys();
      const QString key = keys[static_cast<int>(rng() % static_cast<unsigned>(keys.size()))];
      const QJsonValue replacement = junk[rng() % std::size(junk)];
      if (root[key].isObject() && rng() % 2) {
        QJsonObject inner = root[key].toObject();
        const QStringList innerKeys = inner.keys();
        if (!innerKeys.isEmpty()) inner[innerKeys[static_cast<int>(rng() % static_cast<unsigned>(innerKeys.size()))]] = replacement;
        root[key] = inner;
      } else {
        root[key] = replacement;
      }
      try {
        const Decision d = engine().decide(caseFromJsonObject(root));
        QVERIFY(!d.message.empty());
        ++parsed;
      } catch (const CaseFormatError& e) {
        QVERIFY(std::string(e.what()).rfind("case: ", 0) == 0);
        ++rejected;
      }
    }
    QVERIFY(parsed > 100 && rejected > 1000);
  }

  // The supervisor re-evaluates on every rule or parameter change; keep it far below a tick.
  void evaluationIsCheap() {
    const Case c = patched("needling_estim", R"({"site":{"region_id":"rhomboids_right","view":"back","x":0.55,"y":0.25}})");
    QElapsedTimer timer;
    timer.start();
    constexpr int kRuns = 2000;
    std::size_t fired = 0;
    for (int i = 0; i < kRuns; ++i) fired += engine().decide(c).fired.size();
    const double usPerEval = static_cast<double>(timer.nsecsElapsed()) / 1000.0 / kRuns;
    qInfo("evaluate(): %.1f us per case (%zu rules fired in total)", usPerEval, fired);
    QVERIFY(usPerEval < 20000.0);  // generous: a sanity bound, not a benchmark (ASan Debug is ~1.3 ms)
  }

  void malformedCasesNameTheProblem() {
    auto bad = [](const char* patch) {
      return errorOf<CaseFormatError>([&] { (void)patched("needling", patch); });
    };
    QVERIFY(has(bad(R"({"needling":{"needle_length_mm":null}})"), "needling.needle_length_mm is missing"));
    QVERIFY(has(bad(R"({"needling":{"needle_lenght_mm":30}})"), "needling.needle_lenght_mm is not a known key"));
    QVERIFY(has(bad(R"({"needling":{"needle_length_mm":"30"}})"), "needling.needle_length_mm must be a number"));
    QVERIFY(has(bad(R"({"needling":{"needle_length_mm":900}})"), "outside the plausible range"));
    QVERIFY(has(bad(R"({"evaluated_at_utc":"yesterday"})"), "evaluated_at_utc must be an ISO 8601"));
    QVERIFY(has(bad(R"({"evaluated_at_utc":"2026-11-29T10:00:00"})"), "evaluated_at_utc"));  // no zone: ambiguous
    QVERIFY(has(bad(R"({"format_version":2})"), "format_version must be 1"));
    QVERIFY(has(bad(R"({"needling":{"technique":"twirl"}})"), "needling.technique must be one of flat, pincer, rib_bracketing"));
    QVERIFY(has(bad(R"({"site":{"region_id":null,"x":null,"y":null,"view":null}})"), "site needs region_id or view + x + y"));
    QVERIFY(has(bad(R"({"screening":{"prosthetic_joints":["knees"]}})"), "prosthetic_joints"));
    QVERIFY(has(errorOf<CaseFormatError>([] { (void)caseFromJson("{"); }), "case: is not valid JSON"));
    // Every message is one line.
    QVERIFY(!has(bad(R"({"act":"massage"})"), "\n"));
  }

  void ruleTableRejectsDefects() {
    const std::string valid = R"({"format":"tautband.safety.rules","format_version":1,"rules_version":"t",
      "hazards":[{"id":"H","hazardous_situation":"s","harm":"h","severity":"minor"}],
      "rules":[{"id":"R","applies_to":["needling"],"predicate":"%P","params":%Q,"level":"%L","message":"m","source":"s","hazard":"%H"}]})";
    auto table = [&](const char* p, const char* q, const char* l, const char* h) {
      std::string t = valid;
      for (auto [key, value] : {std::pair{"%P", p}, {"%Q", q}, {"%L", l}, {"%H", h}}) t.replace(t.find(key), 2, value);
      return errorOf<RuleTableError>([&] { (void)RuleTable::fromJson(t); });
    };
    QCOMPARE(table("screening_flag", R"({"flags":["diabetes"]})", "ACK", "H"), std::string("(no error)"));
    QVERIFY(has(table("no_such_predicate", "{}", "ACK", "H"), "names no known predicate"));
    QVERIFY(has(table("screening_flag", R"({"flags":["diabetis"]})", "ACK", "H"), "unknown screening flag \"diabetis\""));
    QVERIFY(has(table("site_in_zone_kind", "{}", "ACK", "H"), "needs \"kinds\""));
    QVERIFY(has(table("direction_in_zone_kinds", R"({"kinds":["spinal_canal"],"directions":["towards_spine"]})", "ACK", "H"),
                "unknown direction \"towards_spine\""));
    QCOMPARE(table("direction_in_zone_kinds", R"({"kinds":["spinal_canal"],"directions":["toward_spine"]})", "ACK", "H"),
             std::string("(no error)"));
    QVERIFY(has(table("screening_flag", R"({"flags":["diabetes"]})", "ALLOW", "H"), "level must be"));
    QVERIFY(has(table("screening_flag", R"({"flags":["diabetes"]})", "ACK", "H-NONE"), "unlisted hazard H-NONE"));
  }

  void builtinTableIsTraceable() {
    const RuleTable& t = RuleTable::builtin();
    QVERIFY(t.rules().size() >= 70);
    for (const Rule& r : t.rules()) {
      QVERIFY2(t.hazard(r.hazardId), r.id.c_str());
      QVERIFY2(!r.source.empty() && !r.message.empty(), r.id.c_str());
    }
    // The levels the facts page names.
    QVERIFY(t.rule("ES-ICD")->level == Level::Refuse);
    QVERIFY(t.rule("ES-PACEMAKER")->level == Level::Refuse);
    QVERIFY(t.rule("DN-LUNG-DISEASE")->level == Level::Supervisor);
    QVERIFY(t.rule("AMP-RESEARCH")->level == Level::Supervisor);
    QVERIFY(t.rule("LZ-CLINIC-PROTOCOL")->level == Level::Supervisor);
    QVERIFY(t.rule("LZ-POWER-CHECK-OVERDUE")->level == Level::Refuse);
    QVERIFY(t.rule("LZ-EPILEPSY")->level == Level::Ack);
    // ACK is used sparingly: fewer than half the rules, and never for a thorax rule.
    const auto acks = std::count_if(t.rules().begin(), t.rules().end(), [](const Rule& r) { return r.level == Level::Ack; });
    QVERIFY(acks * 2 < static_cast<long>(t.rules().size()));
    for (const Rule& r : t.rules())
      if (r.hazardId == "H-BILATERAL-PNEUMOTHORAX" || r.id.rfind("DN-LUNG", 0) == 0) QVERIFY(r.level != Level::Ack);
  }

  void clinicSettingsCannotLoosenSourcedFigures() {
    QCOMPARE(defaultClinicSettings().bilateralThoraxWindowH, 24.0);
    QCOMPARE(defaultClinicSettings().laserWarningDelayS, 2.0);
    auto bad = [](const char* patch) {
      return errorOf<SettingsError>([&] { (void)settingsWith(QJsonDocument::fromJson(patch).object()); });
    };
    QVERIFY(has(bad(R"({"bilateral_thorax_window_h":12})"), "below 24 h"));
    QVERIFY(has(bad(R"({"estim_density_ack_ma_per_cm2":3})"), "IEC 60601-2-10"));
    QVERIFY(has(bad(R"({"power_tolerance_fraction":0.3})"), "1040.11"));
    QVERIFY(has(bad(R"({"no_such_setting":1})"), "is not a known key"));
    QJsonObject table = QJsonDocument::fromJson(defaultSettingsJson()).object();
    QJsonArray tables = table["dose_tables"].toArray();
    QJsonObject first = tables[0].toObject();
    QJsonObject walt = first["walt"].toObject();
    walt["power_max_mw"] = 800;
    first["walt"] = walt;
    tables[0] = first;
    QVERIFY(has(bad(QJsonDocument(QJsonObject{{"dose_tables", tables}}).toJson().constData()), "WALT outer bounds widened"));
    // Stricter is fine.
    QCOMPARE(settingsWith(QJsonDocument::fromJson(R"({"bilateral_thorax_window_h":48})").object()).bilateralThoraxWindowH, 48.0);
  }

  void auditedSafetyRecordsEveryEventAndGuardsApprovals() {
    VectorAuditSink sink;
    AuditedSafety safety(engine(), sink);
    const Case warned = patched("needling", R"({"screening":{"anticoagulants":true}})");
    const Decision d = safety.evaluate(warned);
    QCOMPARE(d.acksRequired, std::vector<std::string>{"PF-ANTICOAGULANT"});
    QCOMPARE(sink.entries.size(), std::size_t{1});
    QVERIFY(sink.entries[0].kind == SafetyAuditRecord::Kind::Evaluation);
    QCOMPARE(sink.entries[0].userId, std::string("therapist.anna"));
    QCOMPARE(sink.entries[0].inputs, caseToJson(warned));
    QVERIFY(!sink.entries[0].rulesVersion.empty() && !sink.entries[0].atlasVersion.empty());

    QVERIFY(has(errorOf<SafetyActionError>([&] { (void)safety.acknowledge(warned, "PF-ANTICOAGULANT", " "); }), "reason"));
    QVERIFY(has(errorOf<SafetyActionError>([&] { (void)safety.acknowledge(warned, "PF-DIABETES", "x"); }), "not an acknowledgeable"));
    const Decision acked = safety.acknowledge(warned, "PF-ANTICOAGULANT", "30 G needles, 2 min compression");
    QVERIFY(acked.mayProceed());
    QVERIFY(sink.entries.back().kind == SafetyAuditRecord::Kind::Acknowledgement);
    QCOMPARE(sink.entries.back().reason, std::string("30 G needles, 2 min compression"));

    const Case refused = patched("needling", (std::string(kRhomboid) + R"("needling":{"needle_length_mm":40}})").c_str());
    QVERIFY(safety.evaluate(refused).level == Level::Refuse);
    QVERIFY(sink.entries.back().kind == SafetyAuditRecord::Kind::Refusal);
    // A REFUSE can be approved by nobody.
    QVERIFY(has(errorOf<SafetyActionError>([&] { (void)safety.approve(refused, "DN-LUNG-LENGTH", "dr.ben", "x"); }),
                "not a supervisor-approvable"));

    const Case copd = patched("needling", (std::string(kRhomboid) + R"("screening":{"lung_disease":true},"needling":{"needle_length_mm":15}})").c_str());
    QVERIFY(has(errorOf<SafetyActionError>([&] { (void)safety.approve(copd, "DN-LUNG-DISEASE", "therapist.anna", "x"); }),
                "second authorised person"));
    const std::size_t before = sink.entries.size();
    const Decision approved = safety.approve(copd, "DN-LUNG-DISEASE", "dr.ben", "Mild COPD, ultrasound guidance planned");
    QVERIFY(approved.mayProceed());
    QCOMPARE(sink.entries.size(), before + 1);
    QVERIFY(sink.entries.back().kind == SafetyAuditRecord::Kind::SupervisorApproval);
    QCOMPARE(sink.entries.back().secondUserId, std::string("dr.ben"));
    QVERIFY(sink.entries.back().toJson().value("second_user_id").toString() == "dr.ben");
  }
};

QTEST_GUILESS_MAIN(TestSafetyEngine)
#include "test_safety_engine.moc"
