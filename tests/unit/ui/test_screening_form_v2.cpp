// The screening form version 2 ("contraindications-2") against the real rules engine: the
// form's answers (PatientModel::screeningJson) are read back as a stored row would be
// (ClinicalContext::patientFacts → CaseInputs::applyTo) and the real Evaluator decides.
// Version 1 rows still map conservatively; an unknown key or version is "not screened".
#include "safety/CaseJson.h"
#include "safety/ClinicSettings.h"
#include "safety/Evaluator.h"
#include "store/CareContext.h"
#include "ui/AuthModel.h"
#include "ui/CaseInputs.h"
#include "ui/ClinicalContext.h"
#include "ui/PatientModel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include <algorithm>
#include <set>

using namespace tautband;

namespace {

safety::TimePoint at(const char* utc) { return *safety::parseUtc(utc); }

const safety::Evaluator& evaluator() {
  static const safety::Evaluator e(anatomy::Atlas::builtin(), safety::RuleTable::builtin(),
                                   safety::defaultClinicSettings());
  return e;
}

// Every topic "no", then the given answers on top (as the pane sends them).
QVariantMap formAnswers(const QVariantMap& yes) {
  QVariantMap a;
  ui::AuthModel auth;
  ui::PatientModel patients(auth);
  for (const QVariant& t : patients.screeningTopics()) a.insert(t.toMap().value("key").toString(), false);
  for (auto it = yes.begin(); it != yes.end(); ++it) a.insert(it.key(), it.value());
  return a;
}

// The clearance as the pane sends it: the clinician and the letter date.
QVariantMap clearance(const QString& clinician, const QString& date) {
  return {{"clinician", clinician}, {"date", date}};
}

std::set<std::string> firedIds(const safety::Decision& d) {
  std::set<std::string> ids;
  for (const auto& f : d.fired) ids.insert(f.ruleId);
  return ids;
}

QJsonObject storedJson(const QVariantMap& answers) {
  QString problem;
  const QJsonObject json = ui::PatientModel::screeningJson(answers, &problem);
  if (!problem.isEmpty()) qWarning("form refused: %s", qPrintable(problem));
  return problem.isEmpty() ? json : QJsonObject{};
}

// The patient as ClinicalContext builds them from a stored screening row (consent and body
// measures recorded, an adult).
ui::PatientFacts factsFrom(const QJsonObject& answers, const QString& formVersion) {
  store::PatientContextRecord r;
  r.patientId = 7;
  r.label = "Test, Patient";
  r.birthDate = QDate(1980, 5, 1);
  r.heightCm = 170;
  r.weightKg = 65;
  r.screening = answers;
  r.screeningFormVersion = formVersion;
  r.consents.push_back({"dry-needling", true, "patient", 0});
  return ui::ClinicalContext::patientFacts(evaluator(), r, 1'795'000'000LL * 1'000'000);
}

safety::Practitioner practitioner() {
  safety::Practitioner p;
  p.userId = "therapist";
  p.credentials = {{"dry_needling", at("2027-06-30T00:00:00Z")}, {"laser", at("2027-06-30T00:00:00Z")},
                   {"estim", at("2027-06-30T00:00:00Z")}};
  return p;
}

safety::Case needlingAt(const char* region) {
  safety::Case c;
  c.evaluatedAt = at("2026-11-29T10:00:00Z");
  c.act = safety::ActKind::Needling;
  c.site.regionId = region;
  c.needling.needleLengthMm = 15;
  c.needling.needleGaugeMm = 0.25;
  c.needling.needleLot = "LOT-1";
  return c;
}

safety::Case estimCase() {
  safety::Case c = needlingAt("gluteus_maximus_right");
  safety::Estim e;
  e.waveform = safety::Waveform::BiphasicChargeBalanced;
  e.currentPeakMa = 2;
  e.pulseWidthUs = 250;
  e.frequencyHz = 2;
  e.stimulatorMaxCurrentMa = 25;
  safety::Site s;
  s.regionId = "gluteus_maximus_right";
  e.a = {s, 20, 0.25};
  e.b = {s, 20, 0.25};
  c.needling.estim = e;
  return c;
}

safety::Case laserAt(std::optional<std::string> region) {
  safety::Case c;
  c.evaluatedAt = at("2026-11-29T10:00:00Z");
  c.act = safety::ActKind::Laser;
  c.site.regionId = std::move(region);
  c.laser = {808, safety::LaserMode::Continuous, 100, 0, 0, 0.1, 40, 1, safety::LaserTechnique::Contact, true, 5, true};
  c.laserDevice.maxPowerMw = 200;
  c.laserDevice.requiredOd = 4;
  c.laserDevice.lastPowerCheck = safety::PowerCheck{at("2026-11-19T09:00:00Z"), 98, 100};
  return c;
}

safety::Decision decide(const ui::PatientFacts& facts, safety::Case c) {
  ui::CaseInputs inputs;
  inputs.practitioner = practitioner();
  inputs.patient = facts;
  inputs.applyTo(c);
  return evaluator().decide(c);
}

bool fired(const safety::Decision& d, const char* ruleId) {
  return std::any_of(d.fired.begin(), d.fired.end(), [ruleId](const auto& f) { return f.ruleId == ruleId; });
}

}  // namespace

class TestScreeningFormV2 : public QObject {
  Q_OBJECT
 private slots:
  void version1RowsMapAsBefore() {
    const QJsonObject v1{{"pacemaker", true}, {"malignancy", true}, {"pregnancy", true}, {"epilepsy", false},
                         {"details", "x"}, {"height_cm", 170.0}, {"bmi", 22.5}};
    const auto mapped = ui::screening::fromRecord(v1, ui::screening::kFormVersion1, anatomy::Atlas::builtin());
    const auto before = ui::screening::fromAnswers(v1);
    QVERIFY(mapped.notUnderstood.isEmpty());
    QCOMPARE(safety::caseToJson([&] {
               safety::Case c;
               c.screening = mapped.screening;
               c.site.conditions = mapped.everySite;
               return c;
             }()),
             safety::caseToJson([&] {
               safety::Case c;
               c.screening = before.screening;
               c.site.conditions = before.everySite;
               return c;
             }()));
    // Conservative as ever: a pacemaker "yes" is also an ICD, malignancy is at every site.
    QVERIFY(mapped.screening.pacemaker && mapped.screening.implantedDefibrillator && mapped.screening.otherActiveImplant);
    QVERIFY(mapped.everySite.malignancy && mapped.screening.cancerHistory);
    QVERIFY(mapped.screening.pregnant && !mapped.screening.pregnancyWeeks);
    QVERIFY(mapped.bySite.empty());
    const auto facts = factsFrom(v1, ui::screening::kFormVersion1);
    QVERIFY(facts.screening.completed);
    QVERIFY(fired(decide(facts, laserAt("deltoid_left")), "LZ-MALIGNANCY-SITE"));
  }

  void anUnknownFormVersionOrKeyIsNotScreened() {
    const QJsonObject good = storedJson(formAnswers({}));
    QVERIFY(!good.isEmpty());
    QVERIFY(factsFrom(good, ui::screening::kFormVersion2).screening.completed);

    const auto unknownVersion = factsFrom(good, "contraindications-3");
    QVERIFY(!unknownVersion.screening.completed);
    QVERIFY2(unknownVersion.notes.join(" ").contains("contraindications-3"), qPrintable(unknownVersion.notes.join(" ")));
    QVERIFY(fired(decide(unknownVersion, laserAt("deltoid_left")), "PF-NOT-SCREENED"));

    QJsonObject unknownKey = good;
    unknownKey.insert("pacemaker_make", "Medtronic");
    const auto facts = factsFrom(unknownKey, ui::screening::kFormVersion2);
    QVERIFY(!facts.screening.completed);
    QVERIFY(facts.notes.join(" ").contains("pacemaker_make"));

    QJsonObject missing = good;
    missing.remove("malignancy");
    QVERIFY(!factsFrom(missing, ui::screening::kFormVersion2).screening.completed);

    QJsonObject followUpOnNo = good;
    followUpOnNo.insert("malignancy_where", QJsonArray{"deltoid_left"});
    QVERIFY(!factsFrom(followUpOnNo, ui::screening::kFormVersion2).screening.completed);

    QJsonObject badRegion = storedJson(formAnswers({{"malignancy", true}, {"malignancy_where", QStringList{"deltoid_left"}}}));
    badRegion.insert("malignancy_where", QJsonArray{"deltoid_middle"});
    QVERIFY(!factsFrom(badRegion, ui::screening::kFormVersion2).screening.completed);

    QJsonObject versionDisagrees = good;
    versionDisagrees.insert("form_version", "contraindications-1");
    QVERIFY(!factsFrom(versionDisagrees, ui::screening::kFormVersion2).screening.completed);
  }

  void pacemakerWithClearanceAllowsEstimAsTheRulesSay() {
    const auto uncleared = factsFrom(storedJson(formAnswers({{"pacemaker", true}, {"pacemaker_devices", QStringList{"pacemaker"}}})),
                                     ui::screening::kFormVersion2);
    QVERIFY(uncleared.screening.completed);
    QVERIFY(uncleared.screening.pacemaker && !uncleared.screening.implantedDefibrillator);
    const auto refused = decide(uncleared, estimCase());
    QVERIFY(fired(refused, "ES-PACEMAKER"));
    QVERIFY(refused.level == safety::Level::Refuse);

    const auto cleared = factsFrom(storedJson(formAnswers({{"pacemaker", true},
                                                           {"pacemaker_devices", QStringList{"pacemaker"}},
                                                           {"pacemaker_clearance_on_file", true},
                                                           {"pacemaker_clearance", clearance("Dr A. Herz, cardiology", "2026-10-02")}})),
                                   ui::screening::kFormVersion2);
    QVERIFY(cleared.screening.cardiologyClearanceRecorded);
    const auto allowed = decide(cleared, estimCase());
    QVERIFY2(!fired(allowed, "ES-PACEMAKER") && !fired(allowed, "ES-ICD"), allowed.message.c_str());
    QVERIFY2(allowed.level != safety::Level::Refuse, allowed.message.c_str());
  }

  void anIcdStaysRefusedWhateverTheClearance() {
    const auto icd = factsFrom(storedJson(formAnswers({{"pacemaker", true},
                                                       {"pacemaker_devices", QStringList{"icd"}},
                                                       {"pacemaker_clearance_on_file", true},
                                                       {"pacemaker_clearance", clearance("Dr A. Herz", "2026-10-02")}})),
                               ui::screening::kFormVersion2);
    QVERIFY(icd.screening.completed && icd.screening.implantedDefibrillator && icd.screening.cardiologyClearanceRecorded);
    const auto d = decide(icd, estimCase());
    QVERIFY(fired(d, "ES-ICD"));
    QVERIFY(d.level == safety::Level::Refuse);
    // Without e-stim the device does not stop needling.
    QVERIFY(!fired(decide(icd, needlingAt("gluteus_maximus_right")), "ES-ICD"));
  }

  void pregnancyWeeksReachTheRule() {
    auto pregnant = [](const QVariant& weeks) {
      return factsFrom(storedJson(formAnswers({{"pregnancy", true}, {"pregnancy_weeks", weeks}})),
                       ui::screening::kFormVersion2);
    };
    const auto week20 = pregnant("20");
    QCOMPARE(week20.screening.pregnancyWeeks.value_or(-1), 20);
    QVERIFY(!fired(decide(week20, needlingAt("erector_spinae_lumbar_right")), "PF-PREGNANCY-TRUNK"));
    QVERIFY(fired(decide(week20, needlingAt("erector_spinae_lumbar_right")), "PF-PREGNANCY-CAUTION"));
    QVERIFY(fired(decide(pregnant("8"), needlingAt("erector_spinae_lumbar_right")), "PF-PREGNANCY-TRUNK"));
    const auto unknown = pregnant("");  // not known: the strict rule
    QVERIFY(!unknown.screening.pregnancyWeeks);
    QVERIFY(fired(decide(unknown, needlingAt("erector_spinae_lumbar_right")), "PF-PREGNANCY-TRUNK"));
    // The laser rule over the trunk does not depend on weeks.
    QVERIFY(fired(decide(week20, laserAt("erector_spinae_lumbar_right")), "LZ-PREGNANT-TRUNK"));
  }

  void malignancyAtOneRegionRefusesThereAndNotElsewhere() {
    const auto facts = factsFrom(storedJson(formAnswers({{"malignancy", true},
                                                         {"malignancy_where", QStringList{"deltoid_left"}}})),
                                 ui::screening::kFormVersion2);
    QVERIFY(facts.screening.completed);
    QVERIFY(!facts.everySite.malignancy);
    const auto there = decide(facts, laserAt("deltoid_left"));
    QVERIFY(fired(there, "LZ-MALIGNANCY-SITE"));
    QVERIFY(there.level == safety::Level::Refuse);
    const auto elsewhere = decide(facts, laserAt("deltoid_right"));
    QVERIFY(!fired(elsewhere, "LZ-MALIGNANCY-SITE"));
    QVERIFY(fired(elsewhere, "LZ-CANCER-HISTORY"));  // the patient-wide caution stays
    QVERIFY(elsewhere.level != safety::Level::Refuse);

    // A tap inside the region (a point, no region id) is that region too.
    const auto* deltoid = anatomy::Atlas::builtin().region("deltoid_left");
    QVERIFY(deltoid);
    safety::Case tapped = laserAt(std::nullopt);
    tapped.site.view = deltoid->view;
    tapped.site.point = anatomy::centroidOf(deltoid->polygon);
    QVERIFY(fired(decide(facts, tapped), "LZ-MALIGNANCY-SITE"));
    // A site that is no region at all (a zone): where is unknown, so the recorded places apply.
    QVERIFY(fired(decide(facts, laserAt(std::nullopt)), "LZ-MALIGNANCY-SITE"));

    // "every site" keeps the version 1 meaning.
    const auto everywhere = factsFrom(storedJson(formAnswers({{"recent_radiotherapy", true},
                                                              {"recent_radiotherapy_where", QStringList{"every_site"}}})),
                                      ui::screening::kFormVersion2);
    QVERIFY(fired(decide(everywhere, laserAt("deltoid_right")), "LZ-RADIOTHERAPY-SITE"));
  }

  void limbsAndJointsReachTheirRules() {
    const auto facts = factsFrom(storedJson(formAnswers({{"lymphoedema", true},
                                                         {"lymphoedema_where", QStringList{"upper_left"}},
                                                         {"prosthetic_joint", true},
                                                         {"prosthetic_joint_where", QStringList{"knee_right"}}})),
                                 ui::screening::kFormVersion2);
    QVERIFY(facts.screening.completed);
    QCOMPARE(facts.screening.lymphoedemaLimbs, std::vector<std::string>{"upper_left"});
    QCOMPARE(facts.screening.prostheticJoints, std::vector<std::string>{"knee_right"});
    QVERIFY(fired(decide(facts, needlingAt("forearm_flexors_left")), "PF-LYMPHOEDEMA-LIMB"));
    QVERIFY(!fired(decide(facts, needlingAt("forearm_flexors_right")), "PF-LYMPHOEDEMA-LIMB"));
  }

  void theFormRefusesAYesWithoutItsFollowUp() {
    QString problem;
    ui::PatientModel::screeningJson(formAnswers({{"malignancy", true}}), &problem);
    QVERIFY2(problem.contains("say where"), qPrintable(problem));
    ui::PatientModel::screeningJson(formAnswers({{"pacemaker", true}}), &problem);
    QVERIFY2(problem.contains("which device"), qPrintable(problem));
    ui::PatientModel::screeningJson(formAnswers({{"pacemaker", true},
                                                 {"pacemaker_devices", QStringList{"pacemaker"}},
                                                 {"pacemaker_clearance_on_file", true},
                                                 {"pacemaker_clearance", clearance("  ", "2026-10-02")}}),
                                    &problem);
    QVERIFY2(problem.contains("clinician"), qPrintable(problem));
    ui::PatientModel::screeningJson(formAnswers({{"pregnancy", true}, {"pregnancy_weeks", "ten"}}), &problem);
    QVERIFY2(problem.contains("weeks"), qPrintable(problem));
    ui::PatientModel::screeningJson(formAnswers({{"tattoo_or_dark_skin", true},
                                                 {"tattoo_or_dark_skin_where", QStringList{"<b>neck</b>"}}}),
                                    &problem);
    QVERIFY2(problem.contains("not a place"), qPrintable(problem));
  }

  void hostileReferenceTextIsStoredVerbatim() {
    const QString hostile = "Dr <b>O'Brien</b> \"cardio\"; DROP TABLE screenings;-- \u202E 2026-10-02";
    const QJsonObject json = storedJson(formAnswers({{"pacemaker", true},
                                                     {"pacemaker_devices", QStringList{"pacemaker", "other_active_implant"}},
                                                     {"pacemaker_clearance_on_file", true},
                                                     {"pacemaker_clearance", clearance(hostile, "2026-10-02")},
                                                     {"details", hostile}}));
    QCOMPARE(json.value("pacemaker_clearance").toObject().value("clinician").toString(), hostile);
    QCOMPARE(json.value("details").toString(), hostile);
    QCOMPARE(json.value("form_version").toString(), QString(ui::screening::kFormVersion2));
    const auto facts = factsFrom(json, ui::screening::kFormVersion2);
    QVERIFY(facts.screening.completed && facts.screening.cardiologyClearanceRecorded && facts.screening.otherActiveImplant);
  }

  // An untouched tile is no answer: nothing is written as "no", the save is refused and the
  // message names the first unanswered topics.
  void anUnansweredTopicIsRefusedAndNeverWrittenAsNo() {
    QString problem;
    QJsonObject json = ui::PatientModel::screeningJson({}, &problem);
    QVERIFY2(problem.startsWith("Not answered yet: Pregnant or possibly pregnant; Pacemaker"), qPrintable(problem));
    QVERIFY2(problem.contains("and 17 more"), qPrintable(problem));
    QVERIFY(!json.contains("pregnancy") && !json.contains("malignancy"));

    QVariantMap oneMissing = formAnswers({});
    oneMissing.remove("lung_disease");
    json = ui::PatientModel::screeningJson(oneMissing, &problem);
    QVERIFY2(problem.contains("Not answered yet: Lung disease"), qPrintable(problem));
    QVERIFY(!json.contains("lung_disease"));
    QVERIFY(json.contains("pregnancy"));
    // Not a bool (e.g. a text "no") is no answer either.
    oneMissing.insert("lung_disease", "no");
    ui::PatientModel::screeningJson(oneMissing, &problem);
    QVERIFY2(problem.contains("Lung disease"), qPrintable(problem));
    // Answered everywhere: saved.
    ui::PatientModel::screeningJson(formAnswers({}), &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }

  // The clearance lifts a REFUSE, so only the structured evidence counts.
  void aClearanceIsEvidenceNotAnyText() {
    const QJsonObject uncleared =
        storedJson(formAnswers({{"pacemaker", true}, {"pacemaker_devices", QStringList{"pacemaker"}}}));
    QVERIFY(!uncleared.isEmpty());
    for (const QJsonValue& bad : {QJsonValue("pending"), QJsonValue("x"), QJsonValue(QJsonValue::Null), QJsonValue(true),
                                  QJsonValue(QJsonObject{{"clinician", "Dr Herz"}}),
                                  QJsonValue(QJsonObject{{"clinician", " "}, {"date", "2026-10-02"}}),
                                  QJsonValue(QJsonObject{{"clinician", "Dr Herz"}, {"date", "02.10.2026"}}),
                                  QJsonValue(QJsonObject{{"clinician", "Dr Herz"}, {"date", "2026-10-02"}, {"ok", true}}),
                                  QJsonValue(QJsonObject{{"clinician", "Dr Herz"},
                                                         {"date", QDate::currentDate().addDays(1).toString(Qt::ISODate)}})}) {
      QJsonObject row = uncleared;
      row.insert("pacemaker_clearance", bad);
      const auto facts = factsFrom(row, ui::screening::kFormVersion2);
      const QString shown = QString::fromUtf8(QJsonDocument(row.value("pacemaker_clearance").isObject()
                                                                ? row.value("pacemaker_clearance").toObject()
                                                                : QJsonObject{{"v", bad}}).toJson(QJsonDocument::Compact));
      QVERIFY2(!facts.screening.completed, qPrintable(shown));
      QVERIFY2(!facts.screening.cardiologyClearanceRecorded, qPrintable(shown));
      QVERIFY2(facts.notes.join(" ").contains("pacemaker_clearance"), qPrintable(facts.notes.join(" ")));
      QVERIFY(fired(decide(facts, estimCase()), "PF-NOT-SCREENED"));
    }
    // The form refuses a future letter date and an impossible one.
    QString problem;
    ui::PatientModel::screeningJson(formAnswers({{"pacemaker", true},
                                                 {"pacemaker_devices", QStringList{"pacemaker"}},
                                                 {"pacemaker_clearance_on_file", true},
                                                 {"pacemaker_clearance", clearance("Dr Herz", QDate::currentDate().addDays(1).toString(Qt::ISODate))}}),
                                    &problem);
    QVERIFY2(problem.contains("not in the future"), qPrintable(problem));
    ui::PatientModel::screeningJson(formAnswers({{"pacemaker", true},
                                                 {"pacemaker_devices", QStringList{"pacemaker"}},
                                                 {"pacemaker_clearance_on_file", true},
                                                 {"pacemaker_clearance", "pending"}}),
                                    &problem);
    QVERIFY2(problem.contains("clinician"), qPrintable(problem));

    // A valid one (today counts) lifts ES-PACEMAKER and nothing else.
    const QJsonObject cleared = storedJson(formAnswers({{"pacemaker", true},
                                                        {"pacemaker_devices", QStringList{"pacemaker"}},
                                                        {"pacemaker_clearance_on_file", true},
                                                        {"pacemaker_clearance", clearance("Dr A. Herz", QDate::currentDate().toString(Qt::ISODate))}}));
    QCOMPARE(cleared.value("pacemaker_clearance").toObject().keys(), (QStringList{"clinician", "date"}));
    const auto before = firedIds(decide(factsFrom(uncleared, ui::screening::kFormVersion2), estimCase()));
    const auto after = firedIds(decide(factsFrom(cleared, ui::screening::kFormVersion2), estimCase()));
    QVERIFY(before.count("ES-PACEMAKER") == 1);
    std::set<std::string> lifted;
    std::set_difference(before.begin(), before.end(), after.begin(), after.end(), std::inserter(lifted, lifted.end()));
    QCOMPARE(lifted, std::set<std::string>{"ES-PACEMAKER"});
    QVERIFY(std::includes(before.begin(), before.end(), after.begin(), after.end()));
  }

  void everyTopicHasAMappingAndAFollowUpTheFormKnows() {
    ui::AuthModel auth;
    ui::PatientModel patients(auth);
    QStringList keys;
    for (const QVariant& t : patients.screeningTopics()) {
      const QString key = t.toMap().value("key").toString();
      keys << key;
      QVERIFY2(ui::screening::topicFor(key), qPrintable(key));
    }
    QCOMPARE(keys.size(), static_cast<qsizetype>(ui::screening::topicsV2().size()));
    // Every version 1 question is still a topic: nothing the old form asked is lost.
    for (const QVariant& q : patients.screeningQuestions())
      QVERIFY2(keys.contains(q.toMap().value("key").toString()), qPrintable(q.toMap().value("key").toString()));
    // The picker offers every atlas region exactly once.
    QStringList regions;
    for (const QVariant& g : patients.screeningAreas())
      for (const QVariant& r : g.toMap().value("regions").toList()) regions << r.toMap().value("id").toString();
    QCOMPARE(regions.size(), static_cast<qsizetype>(anatomy::Atlas::builtin().regions().size()));
    QCOMPARE(regions.removeDuplicates(), 0);
  }
};

QTEST_GUILESS_MAIN(TestScreeningFormV2)
#include "test_screening_form_v2.moc"
