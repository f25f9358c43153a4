// The screening form / store → rules key mapping (app/ui/CaseInputs) and the demo clinic's ids.
// Iterates the form's own question list: a question added without a mapping fails here.
#include "anatomy/Atlas.h"
#include "cli/commands/DemoClinic.h"
#include "safety/CaseJson.h"
#include "safety/ClinicSettings.h"
#include "safety/Evaluator.h"
#include "store/Store.h"
#include "ui/AuthModel.h"
#include "store/CareContext.h"
#include "ui/CaseInputs.h"
#include "ui/ClinicalContext.h"
#include "ui/PatientModel.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <set>

using namespace tautband;

namespace {

safety::TimePoint at(const char* utc) { return *safety::parseUtc(utc); }

QStringList formKeys() {
  ui::AuthModel auth;
  ui::PatientModel patients(auth);
  QStringList keys;
  for (const auto& q : patients.screeningQuestions()) keys << q.toMap().value(QStringLiteral("key")).toString();
  return keys;
}

safety::Site pointSite(const char* region, anatomy::View view, double x, double y) {
  safety::Site s;
  s.regionId = region;
  s.view = view;
  s.point = anatomy::Point{x, y};
  return s;
}

// Cases in which each screening fact can matter: needling over the posterior thorax lying and
// sitting, over the pectoralis, with e-stim, and a laser dose over the lumbar trunk. Everything
// else complete, so only the answer under test changes what fires.
std::vector<safety::Case> probeCases(const safety::Screening& screening, const safety::SiteConditions& conditions) {
  safety::Case base;
  base.evaluatedAt = at("2026-11-29T10:00:00Z");
  base.screening = screening;
  base.screening.completed = base.screening.consentRecorded = base.screening.consentNamesPneumothorax = true;
  base.screening.heightCm = 170;
  base.screening.weightKg = 65;
  base.screening.ageYears = 40;
  base.practitioner.userId = "probe";
  base.practitioner.credentials = {{"dry_needling", at("2027-06-30T00:00:00Z")}, {"laser", at("2027-06-30T00:00:00Z")}};
  base.needling.needleLengthMm = 15;
  base.needling.needleGaugeMm = 0.25;
  base.needling.needleLot = "LOT-1";
  std::vector<safety::Case> out;
  safety::Case thorax = base;
  thorax.site = pointSite("rhomboids_right", anatomy::View::Back, 0.55, 0.25);
  out.push_back(thorax);
  safety::Case sitting = thorax;
  sitting.needling.position = safety::PatientPosition::Sitting;
  out.push_back(sitting);
  safety::Case chest = base;
  chest.site = pointSite("pectoralis_major_right", anatomy::View::Front, 0.4, 0.23);
  out.push_back(chest);
  safety::Case estim = thorax;
  safety::Estim e;
  e.waveform = safety::Waveform::BiphasicChargeBalanced;
  e.currentPeakMa = 2;
  e.pulseWidthUs = 250;
  e.frequencyHz = 2;
  e.stimulatorMaxCurrentMa = 25;
  e.a = {thorax.site, 20, 0.25};
  e.b = {pointSite("rhomboids_right", anatomy::View::Back, 0.55, 0.27), 20, 0.25};
  estim.needling.estim = e;
  out.push_back(estim);
  safety::Case laser = base;
  laser.act = safety::ActKind::Laser;
  laser.site.regionId = "erector_spinae_lumbar_right";
  laser.laser = {808, safety::LaserMode::Continuous, 100, 0, 0, 0.1, 40, 1, safety::LaserTechnique::Contact, true, 5, true};
  laser.laserDevice.maxPowerMw = 200;
  laser.laserDevice.requiredOd = 4;
  laser.laserDevice.lastPowerCheck = safety::PowerCheck{at("2026-11-19T09:00:00Z"), 98, 100};
  out.push_back(laser);
  for (auto& c : out) {
    c.site.conditions = conditions;
    if (c.needling.estim) c.needling.estim->a.site.conditions = conditions;
  }
  return out;
}

std::set<std::string> firedIn(const safety::Evaluator& evaluator, const std::vector<safety::Case>& cases) {
  std::set<std::string> fired;
  for (const auto& c : cases)
    for (const auto& f : evaluator.decide(c).fired) fired.insert(f.ruleId);
  return fired;
}

QJsonObject screeningJson(const ui::screening::Mapped& m) {
  safety::Case c;
  c.act = safety::ActKind::Needling;
  c.practitioner.userId = "x";
  c.screening = m.screening;
  c.site.regionId = "upper_trapezius_right";
  c.site.conditions = m.everySite;
  c.needling.needleLengthMm = 15;
  c.needling.needleGaugeMm = 0.25;
  const QJsonObject j = safety::caseToJson(c);
  return QJsonObject{{"screening", j.value("screening")},
                     {"conditions", j.value("site").toObject().value("conditions")}};
}

}  // namespace

class TestScreeningMapping : public QObject {
  Q_OBJECT
 private slots:
  void everyFormQuestionMakesARuleFire() {
    const safety::Evaluator evaluator(anatomy::Atlas::builtin(), safety::RuleTable::builtin(),
                                      safety::defaultClinicSettings());
    const auto baseline = firedIn(evaluator, probeCases({}, {}));
    const QStringList keys = formKeys();
    QVERIFY2(keys.size() >= 13, "the form lists its questions");
    for (const QString& key : keys) {
      QVERIFY2(ui::screening::mappingFor(key), qPrintable("form question '" + key + "' has no mapping to the rules"));
      const auto mapped = ui::screening::fromAnswers(QJsonObject{{key, true}});
      QVERIFY2(mapped.notUnderstood.isEmpty(), qPrintable(key));
      const auto fired = firedIn(evaluator, probeCases(mapped.screening, mapped.everySite));
      std::vector<std::string> added;
      std::set_difference(fired.begin(), fired.end(), baseline.begin(), baseline.end(), std::back_inserter(added));
      QVERIFY2(!added.empty(), qPrintable("a 'yes' to '" + key + "' reaches no rule"));
    }
  }

  void everyMappingWritesOnlyNamesTheRulesRead() {
    const QJsonObject none = screeningJson(ui::screening::fromAnswers({}));
    for (const auto& m : ui::screening::mappings()) {
      // fromAnswers goes through the safety case parser, which throws on an unknown name.
      const auto mapped = ui::screening::fromAnswers(QJsonObject{{QLatin1String(m.formKey), true}});
      const QJsonObject set = screeningJson(mapped);
      for (const char* k : m.screeningKeys)
        QVERIFY2(set["screening"].toObject().value(QLatin1String(k)) == QJsonValue(true) &&
                     none["screening"].toObject().value(QLatin1String(k)) == QJsonValue(false),
                 qPrintable(QStringLiteral("%1 -> screening.%2").arg(m.formKey, k)));
      for (const char* k : m.siteConditions)
        QVERIFY2(set["conditions"].toObject().value(QLatin1String(k)) == QJsonValue(true),
                 qPrintable(QStringLiteral("%1 -> conditions.%2").arg(m.formKey, k)));
      QVERIFY(set != none);
    }
  }

  void anUnknownAnswerLeavesTheScreenIncomplete() {
    const auto mapped = ui::screening::fromAnswers(QJsonObject{{"photosensitising_drugs_typo", true}, {"epilepsy", false}});
    QCOMPARE(mapped.notUnderstood, QStringList{"photosensitising_drugs_typo"});
    // A "no" to an unknown question hides nothing.
    QVERIFY(ui::screening::fromAnswers(QJsonObject{{"unknown_question", false}}).notUnderstood.isEmpty());
  }

  void unknownNeedleNamesInTheHistoryCountStrictlyAndAreNoted() {
    // One parser for the stored technique and direction (the case format's): a name it does
    // not know gets no technique credit and the patient's notes name it, never a quiet default.
    const safety::Evaluator evaluator(anatomy::Atlas::builtin(), safety::RuleTable::builtin(),
                                      safety::defaultClinicSettings());
    store::PatientContextRecord r;
    r.patientId = 1;
    r.label = QStringLiteral("Doe, Jane");
    r.heightCm = 170.0;
    r.weightKg = 63.6;
    store::StoredNeedle n;
    n.muscle = QStringLiteral("upper_trapezius");
    n.side = QStringLiteral("right");
    n.lengthMm = 10;
    n.technique = QStringLiteral("pincer");
    n.direction = QStringLiteral("tangential");
    n.insertedUtcUs = store::utcNowUs() - 3600LL * 1'000'000;
    r.recentNeedles = {n};
    const auto unknownNotes = [](const ui::PatientFacts& f) {
      QStringList out;
      for (const auto& note : f.notes)
        if (note.contains(QStringLiteral("rules do not know"))) out << note;
      return out;
    };
    // The named exception: a lifted upper trapezius inside the limit is no lung-field insertion.
    auto facts = ui::ClinicalContext::patientFacts(evaluator, r, store::utcNowUs());
    QCOMPARE(facts.lungFieldInsertions.size(), std::size_t{0});
    QVERIFY(unknownNotes(facts).isEmpty());
    const std::pair<const char*, const char*> unknown[] = {
        {"pincher", "tangential"}, {"pincer", "sideways"}, {"rib-bracketing", "tangential"}, {"pincer", ""}};
    for (const auto& [technique, direction] : unknown) {
      r.recentNeedles[0].technique = QString::fromLatin1(technique);
      r.recentNeedles[0].direction = QString::fromLatin1(direction);
      facts = ui::ClinicalContext::patientFacts(evaluator, r, store::utcNowUs());
      QCOMPARE(facts.lungFieldInsertions.size(), std::size_t{1});
      const QString notes = unknownNotes(facts).join(QLatin1Char('\n'));
      const QString named = safety::techniqueFromName(technique) ? QString::fromLatin1(direction) : QString::fromLatin1(technique);
      QVERIFY2(notes.contains(QStringLiteral("\"%1\"").arg(named)), qPrintable(notes));
    }
  }

  // A condition recorded at one region refuses needling there whichever needle is there: the
  // e-stim's second needle too (the rules read one site's conditions).
  void aConditionAtTheSecondEstimNeedlesRegionRefuses() {
    const safety::Evaluator evaluator(anatomy::Atlas::builtin(), safety::RuleTable::builtin(),
                                      safety::defaultClinicSettings());
    ui::PatientFacts patient;
    patient.patientId = 1;
    patient.atlas = &anatomy::Atlas::builtin();
    patient.siteConditions["gastrocnemius_soleus_right"].infectionOrBrokenSkin = true;
    auto estimCase = [&](const char* secondNeedleRegion) {
      safety::Case c;
      c.act = safety::ActKind::Needling;
      c.site.regionId = "upper_trapezius_left";
      c.needling.needleLengthMm = 30;
      c.needling.needleGaugeMm = 0.25;
      safety::Estim e;
      e.a.site = c.site;
      e.b.site.regionId = secondNeedleRegion;
      c.needling.estim = e;
      ui::CaseInputs{std::nullopt, patient, 0}.applyTo(c);
      return evaluator.decide(c);
    };
    const auto fires = [](const safety::Decision& d, const char* id) {
      return std::any_of(d.fired.begin(), d.fired.end(), [&](const auto& f) { return f.ruleId == id; });
    };
    QVERIFY2(fires(estimCase("gastrocnemius_soleus_right"), "PF-SKIN-AT-SITE"), "the second needle lies in the infected region");
    QVERIFY2(!fires(estimCase("gastrocnemius_soleus_left"), "PF-SKIN-AT-SITE"), "neither needle lies in the infected region");
  }

  void storeCredentialKindsAreTheRulesKinds() {
    QCOMPARE(*ui::screening::credentialKind("dry-needling"), std::string("dry_needling"));
    QCOMPARE(*ui::screening::credentialKind("laser"), std::string("laser"));
    QVERIFY(!ui::screening::credentialKind("acupuncture"));
  }

  void demoWritesOnlyAtlasSitesAndFormKeys() {
    const anatomy::Atlas& atlas = anatomy::Atlas::builtin();
    for (const auto& s : cli::demoSites())
      QVERIFY2(atlas.region(s.regionId), s.regionId);
    // Every demo row reads back completely (never "not screened"), and is exactly what the
    // screening form writes for the same answers (PatientModel::screeningJson, the page's check).
    int yesTopics = 0;
    for (std::size_t i = 0; i < 5; ++i) {
      const QJsonObject answers = cli::demoScreeningAnswers(i);
      const auto mapped = ui::screening::fromRecord(answers, QString::fromLatin1(cli::kDemoScreeningFormVersion), atlas);
      QVERIFY2(mapped.notUnderstood.isEmpty(), qPrintable(mapped.notUnderstood.join("; ")));
      QVariantMap form;
      for (auto it = answers.begin(); it != answers.end(); ++it) {
        if (it.key() == "pregnancy_weeks") form.insert(it.key(), QString::number(it.value().toInt()));
        else if (it.key() == "height_cm") form.insert("heightCm", it.value().toDouble());
        else if (it.key() == "weight_kg") form.insert("weightKg", it.value().toDouble());
        else form.insert(it.key(), it.value().toVariant());
        if (it.key() == "pacemaker_clearance") form.insert("pacemaker_clearance_on_file", true);
        if (it.value().isBool() && it.value().toBool()) ++yesTopics;
      }
      QString problem;
      const QJsonObject written = ui::PatientModel::screeningJson(form, &problem);
      QVERIFY2(problem.isEmpty(), qPrintable(problem));
      QCOMPARE(written, answers);
    }
    QVERIFY2(yesTopics >= 6, "the demo patients answer yes to several topics, each with its follow-up");

    QTemporaryDir dir;
    const std::filesystem::path path = dir.path().toStdString();
    auto store = store::Store::open(store::StoreSettings::fromLocation(
                                        QString::fromStdString(store::StoreSettings::defaultSqlitePath(path).string()), path),
                                    store::PasswordPolicy::minimumForTests());
    cli::buildDemoClinic(*store, 5, 1);
    // The rows the demo stored read back completely too.
    const auto screenings = store->writer().run([](store::WriteTransaction& tx) {
      std::vector<std::pair<QString, QString>> out;
      QSqlQuery q = tx.exec(QStringLiteral("SELECT answers_json, form_version FROM screenings"));
      while (q.next()) out.emplace_back(q.value(0).toString(), q.value(1).toString());
      return out;
    });
    QCOMPARE(screenings.size(), std::size_t{5});
    for (const auto& [answersJson, formVersion] : screenings) {
      QCOMPARE(formVersion, QStringLiteral("contraindications-2"));
      const auto mapped =
          ui::screening::fromRecord(QJsonDocument::fromJson(answersJson.toUtf8()).object(), formVersion, atlas);
      QVERIFY2(mapped.notUnderstood.isEmpty(), qPrintable(mapped.notUnderstood.join("; ")));
    }
    struct Row {
      QString muscle, side, location, zone;
    };
    const auto rows = store->writer().run([](store::WriteTransaction& tx) {
      std::vector<Row> out;
      QSqlQuery q = tx.exec(QStringLiteral("SELECT muscle, side, location_json, COALESCE(zone, '') FROM sites"));
      while (q.next()) out.push_back({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString()});
      return out;
    });
    QVERIFY(rows.size() >= 10);
    for (const Row& r : rows) {
      const std::string region = (r.muscle + QLatin1Char('_') + r.side).toStdString();
      QVERIFY2(atlas.region(region), region.c_str());
      const QJsonObject loc = QJsonDocument::fromJson(r.location.toUtf8()).object();
      QCOMPARE(loc.value("region_id").toString().toStdString(), region);
      const auto view = anatomy::viewFromString(loc.value("view").toString().toStdString());
      QVERIFY(view);
      const anatomy::Point p{loc.value("x").toDouble(), loc.value("y").toDouble()};
      const auto hits = atlas.regionsAt(*view, p);
      QVERIFY2(std::any_of(hits.begin(), hits.end(), [&](const anatomy::Region* h) { return h->id == region; }),
               qPrintable(r.location));
      if (!r.zone.isEmpty()) QVERIFY2(atlas.zone(r.zone.toStdString()), qPrintable(r.zone));
    }
    // The demo's needles are all today: no patient may have both lung fields needled (the
    // rules would have refused the second side), judged as the console judges history.
    const safety::Evaluator evaluator(atlas, safety::RuleTable::builtin(), safety::defaultClinicSettings());
    const auto patients = store->writer().run([](store::WriteTransaction& tx) {
      std::vector<qint64> ids;
      QSqlQuery q = tx.exec(QStringLiteral("SELECT id FROM patients"));
      while (q.next()) ids.push_back(q.value(0).toLongLong());
      return ids;
    });
    int lungFieldPatients = 0;
    for (const qint64 id : patients) {
      const auto record = store->writer().run([id](store::WriteTransaction& tx) {
        return store::readPatientContext(tx, store::Actor::system(), id, 0);
      });
      const auto facts = ui::ClinicalContext::patientFacts(evaluator, record, store::utcNowUs());
      std::set<anatomy::Side> sides;
      for (const auto& l : facts.lungFieldInsertions) sides.insert(l.side);
      QVERIFY2(sides.size() <= 1, qPrintable(record.label));
      lungFieldPatients += sides.empty() ? 0 : 1;
      QVERIFY2(facts.screening.completed && facts.screening.consentNamesPneumothorax, qPrintable(record.label));
    }
    QVERIFY2(lungFieldPatients > 0, "the demo needles over a lung field (the history is not empty by accident)");
  }
};

QTEST_GUILESS_MAIN(TestScreeningMapping)
#include "test_screening_mapping.moc"
