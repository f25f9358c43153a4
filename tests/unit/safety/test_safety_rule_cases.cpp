// Every rule in the shipped table has a fixture (cases/rules/<ID>.json) with a case that
// makes it fire and a near-miss case where it does not. This test fails when a rule is
// added without both, so the traceability "rule -> test" in docs/HAZARDS.md stays true.

#include "SafetyTestSupport.h"
#include "safety/Evaluator.h"

#include <QDir>
#include <QTest>

#include <algorithm>

using namespace tautband::safety;
using namespace tautband::safety::test;

namespace {

bool fired(const Decision& d, const std::string& id) {
  const auto ids = d.ruleIds();
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

QString describe(const Decision& d) {
  return QStringLiteral("level %1: %2").arg(QString::fromLatin1(toString(d.level).data()), QString::fromStdString(d.message));
}

}  // namespace

class TestSafetyRuleCases : public QObject {
  Q_OBJECT

 private slots:
  void baseCasesAreAllowed_data() {
    QTest::addColumn<QString>("name");
    for (const char* name : {"needling", "needling_estim", "laser", "session_close"}) QTest::newRow(name) << name;
  }
  void baseCasesAreAllowed() {
    QFETCH(QString, name);
    const Evaluator evaluator(tautband::anatomy::Atlas::builtin(), RuleTable::builtin(), defaultClinicSettings());
    const Decision d = evaluator.decide(caseFromJsonObject(baseCase(name)));
    QVERIFY2(d.fired.empty(), qPrintable(describe(d)));
    QVERIFY(d.level == Level::Allow);
    QVERIFY(d.mayProceed());
  }

  void everyRuleHasAFiringAndANonFiringFixture() {
    const QDir dir(casesDir() + "/rules");
    QStringList missing;
    for (const Rule& rule : RuleTable::builtin().rules()) {
      const QString path = dir.filePath(QString::fromStdString(rule.id) + ".json");
      if (!QFile::exists(path)) {
        missing << QString::fromStdString(rule.id);
        continue;
      }
      const QJsonObject fixture = readJsonObject(path);
      if (!fixture.value("fires").isObject() || !fixture.value("does_not_fire").isObject())
        missing << QString::fromStdString(rule.id) + " (incomplete)";
    }
    QVERIFY2(missing.isEmpty(), qPrintable("rules without fixtures: " + missing.join(", ")));
    // ...and no fixture names a rule that no longer exists.
    for (const QString& file : dir.entryList({"*.json"}, QDir::Files)) {
      const QString id = file.chopped(5);
      QVERIFY2(RuleTable::builtin().rule(id.toStdString()), qPrintable("fixture for unknown rule " + id));
    }
  }

  // docs/HAZARDS.md (hazard -> rules -> tests) and the per-rule examples in docs/SAFETY.md are
  // generated from the same data; this fails when they were not regenerated after a change.
  void documentsNameEveryRuleAndHazard() {
    auto read = [](const char* name) {
      QFile file(QStringLiteral(TAUTBAND_DOCS_DIR "/") + QLatin1String(name));
      if (!file.open(QIODevice::ReadOnly)) return QString();
      return QString::fromUtf8(file.readAll());
    };
    const QString hazards = read("HAZARDS.md");
    const QString safety = read("SAFETY.md");
    QVERIFY2(!hazards.isEmpty() && !safety.isEmpty(), "docs/HAZARDS.md or docs/SAFETY.md missing");
    QVERIFY(!hazards.contains("MISSING FIXTURE"));
    for (const Rule& rule : RuleTable::builtin().rules()) {
      const QString cell = QStringLiteral("| %1 | %2 |").arg(QString::fromStdString(rule.id), QString::fromLatin1(toString(rule.level).data()));
      QVERIFY2(hazards.contains(cell), qPrintable("HAZARDS.md lacks " + cell));
      QVERIFY2(safety.contains(cell), qPrintable("SAFETY.md examples lack " + cell));
    }
    for (const Hazard& hazard : RuleTable::builtin().hazards())
      QVERIFY2(hazards.contains(QStringLiteral("| %1 | %2 |").arg(QString::fromStdString(hazard.id), QString::fromStdString(hazard.severity))),
               hazard.id.c_str());
    QVERIFY(hazards.contains(QStringLiteral("(rules %1)").arg(QString::fromStdString(RuleTable::builtin().rulesVersion()))));
  }

  void fixtures_data() {
    QTest::addColumn<QString>("path");
    const QDir dir(casesDir() + "/rules");
    for (const QString& file : dir.entryList({"*.json"}, QDir::Files))
      QTest::newRow(qPrintable(file.chopped(5))) << dir.filePath(file);
  }
  void fixtures() {
    QFETCH(QString, path);
    const QJsonObject fixture = readJsonObject(path);
    const std::string rule = fixture.value("rule").toString().toStdString();
    QCOMPARE(QFileInfo(path).completeBaseName().toStdString(), rule);
    const ClinicSettings settings = settingsWith(fixture.value("settings_patch").toObject());
    const Evaluator evaluator(tautband::anatomy::Atlas::builtin(), RuleTable::builtin(), settings);
    const QJsonObject base = baseCase(fixture.value("base").toString());

    const Decision firing = evaluator.decide(caseFromJsonObject(mergePatch(base, fixture.value("fires").toObject())));
    QVERIFY2(fired(firing, rule), qPrintable("did not fire; " + describe(firing)));
    const Level expected = RuleTable::builtin().rule(rule)->level;
    QVERIFY(firing.level >= expected);
    QVERIFY(!firing.mayProceed());  // every fired level holds the act until dealt with

    const Decision quiet = evaluator.decide(caseFromJsonObject(mergePatch(base, fixture.value("does_not_fire").toObject())));
    QVERIFY2(!fired(quiet, rule), qPrintable("fired on the near miss; " + describe(quiet)));
  }
};

QTEST_GUILESS_MAIN(TestSafetyRuleCases)
#include "test_safety_rule_cases.moc"
