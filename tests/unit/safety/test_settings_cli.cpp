// `tautband-cli settings show|set` and `settings presets show|set` on a demo clinic: the
// effective settings, a manager's change (validated, audited), a loosening refused naming the
// bound (exit 2), a therapist refused (exit 1), presets inside the WALT bounds.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Run {
  int rc = -1;
  QByteArray out, err;
};

}  // namespace

class SettingsCliTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  QString db() const { return dir_.filePath(QStringLiteral("clinic.db")); }

  Run cli(const QStringList& args, const QByteArray& password = {}) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TAUTBAND_LOG_LEVEL"), QStringLiteral("warn"));
    if (!password.isEmpty()) env.insert(QStringLiteral("TAUTBAND_PASSWORD"), QString::fromUtf8(password));
    else env.remove(QStringLiteral("TAUTBAND_PASSWORD"));
    p.setProcessEnvironment(env);
    p.setStandardInputFile(QProcess::nullDevice());
    p.start(QStringLiteral(TAUTBAND_CLI_PATH), QStringList{QStringLiteral("--data-dir"), dir_.path()} + args);
    if (!p.waitForFinished(60000)) return {};
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
  }

  QString writeFile(const QString& name, const QJsonObject& json) {
    QFile f(dir_.filePath(name));
    if (!f.open(QIODevice::WriteOnly)) return {};
    f.write(QJsonDocument(json).toJson());
    return f.fileName();
  }

  QJsonObject showJson() {
    const Run r = cli({QStringLiteral("settings"), QStringLiteral("show"), QStringLiteral("--db"), db(), QStringLiteral("--json")});
    return r.rc == 0 ? QJsonDocument::fromJson(r.out).object() : QJsonObject{};
  }

 private slots:
  void initTestCase() {
    const Run demo = cli({QStringLiteral("demo"), QStringLiteral("--db"), db()});
    QVERIFY2(demo.rc == 0, demo.err.constData());
  }

  // The demo clinic stores its own laser protocol (the 780-860 nm clinic maximum 300 mW) over
  // the shipped settings; every figure it leaves alone shows the shipped value.
  void showsTheDemoClinicsStoredSettings() {
    const QJsonObject shown = showJson();
    QCOMPARE(shown.value("from_store").toBool(), true);
    QCOMPARE(shown.value("settings").toObject().value("settings_version").toString(), QStringLiteral("demo-clinic-1"));
    QCOMPARE(shown.value("settings").toObject().value("bilateral_thorax_window_h").toDouble(), 24.0);
    const Run text = cli({QStringLiteral("settings"), QStringLiteral("show"), QStringLiteral("--db"), db()});
    QCOMPARE(text.rc, 0);
    QVERIFY(text.out.contains("Dose 904-905nm"));
    QVERIFY2(text.out.contains("Dose 780-860nm:  clinic 10-300 mW"), text.out.constData());
  }

  void aManagerChangesAndTheChangeShows() {
    QJsonObject settings = showJson().value("settings").toObject();
    settings.insert("bilateral_thorax_window_h", 48);
    const QString file = writeFile(QStringLiteral("ok.json"), settings);
    const Run set = cli({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("--db"), db(), QStringLiteral("--user"),
                         QStringLiteral("manager"), QStringLiteral("--file"), file},
                        "demo-manager-2026");
    QVERIFY2(set.rc == 0, set.err.constData());
    const QJsonObject shown = showJson();
    QCOMPARE(shown.value("from_store").toBool(), true);
    QCOMPARE(shown.value("settings").toObject().value("bilateral_thorax_window_h").toDouble(), 48.0);
  }

  void looseningIsRefusedNamingTheBound() {
    QJsonObject settings = showJson().value("settings").toObject();
    settings.insert("bilateral_thorax_window_h", 12);
    const QString file = writeFile(QStringLiteral("loose.json"), settings);
    const Run set = cli({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("--db"), db(), QStringLiteral("--user"),
                         QStringLiteral("manager"), QStringLiteral("--file"), file},
                        "demo-manager-2026");
    QCOMPARE(set.rc, 2);
    QVERIFY2(set.err.contains("bilateral_thorax_window_h"), set.err.constData());
    QCOMPARE(showJson().value("settings").toObject().value("bilateral_thorax_window_h").toDouble(), 48.0);
  }

  void aTherapistMayNotChangeSettings() {
    const QString file = writeFile(QStringLiteral("same.json"), showJson().value("settings").toObject());
    const Run set = cli({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("--db"), db(), QStringLiteral("--user"),
                         QStringLiteral("therapist"), QStringLiteral("--file"), file},
                        "demo-therapist-2026");
    QCOMPARE(set.rc, 1);
    QVERIFY2(set.err.contains("may not"), set.err.constData());
    const Run noUser = cli({QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("--db"), db(),
                            QStringLiteral("--file"), file});
    QCOMPARE(noUser.rc, 2);
  }

  void presetsAreValidatedStoredAndShown() {
    QJsonObject preset{{"muscle", "upper_trapezius"}, {"wavelength_nm", 808}, {"mode", "cw"}, {"power_mw", 200},
                       {"spot_area_cm2", 0.5}, {"energy_per_point_j", 4}, {"points", 3}};
    const auto file = [&](const QString& name, const QJsonObject& p) {
      return writeFile(name, QJsonObject{{"format", "tautband.laser.presets"}, {"format_version", 1}, {"presets", QJsonArray{p}}});
    };
    const QString good = file(QStringLiteral("presets.json"), preset);
    preset.insert("energy_per_point_j", 100);
    const QString bad = file(QStringLiteral("presets-bad.json"), preset);
    const QStringList set{QStringLiteral("settings"), QStringLiteral("presets"), QStringLiteral("set"), QStringLiteral("--db"),
                          db(), QStringLiteral("--user"), QStringLiteral("manager"), QStringLiteral("--file")};
    const Run refused = cli(set + QStringList{bad}, "demo-manager-2026");
    QCOMPARE(refused.rc, 2);
    QVERIFY2(refused.err.contains("upper_trapezius") && refused.err.contains("WALT"), refused.err.constData());
    const Run ok = cli(set + QStringList{good}, "demo-manager-2026");
    QVERIFY2(ok.rc == 0, ok.err.constData());
    const Run shown = cli({QStringLiteral("settings"), QStringLiteral("presets"), QStringLiteral("show"), QStringLiteral("--db"),
                           db(), QStringLiteral("--json")});
    QCOMPARE(shown.rc, 0);
    const QJsonArray list = QJsonDocument::fromJson(shown.out).object().value("presets").toObject().value("presets").toArray();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.at(0).toObject().value("energy_per_point_j").toDouble(), 4.0);
  }
};

QTEST_GUILESS_MAIN(SettingsCliTest)
#include "test_settings_cli.moc"
