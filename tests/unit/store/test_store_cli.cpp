// tautband-cli audit verify / export / backup / restore as processes: exit
// codes, the first bad sequence named, and a backup taken while another process
// keeps appending is consistent and verifies.
#include "StoreTestUtil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QtTest>

#include <sqlite3.h>

using namespace tautband::store;
using namespace tautband::store::testing;

namespace {
struct Run {
  int code;
  QString out;
  QString err;
};
}  // namespace

class StoreCliTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    db_ = dir_.filePath(QStringLiteral("clinic.db"));
    auto store = Store::open(sqliteSettings(dir_, "clinic.db"), PasswordPolicy::minimumForTests());
    for (int i = 0; i < 200; ++i) {
      store->audit().append(draft(QStringLiteral("cli.test"), QStringLiteral("s"), {{"i", i}}));
    }
    store->audit()
        .append(AuditEntryDraft{QStringLiteral("=cmd|' /C calc'!A0"), QStringLiteral("therapist"), QStringLiteral("x"),
                                QStringLiteral("a,b\"c"), {}, std::nullopt})
        .get();
  }

  void verifyExitCodes() {
    Run r = cli({QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--db"), db_, QStringLiteral("--json")});
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    QVERIFY(QJsonDocument::fromJson(r.out.toUtf8()).object().value(QLatin1String("intact")).toBool());
    r = cli({QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--db"), dir_.filePath(QStringLiteral("none.db"))});
    QCOMPARE(r.code, 2);
    // Tamper a copy (no recording into the evidence).
    const QString copy = dir_.filePath(QStringLiteral("tampered.db"));
    QVERIFY(QFile::copy(db_, copy));
    QVERIFY(QFile::copy(db_ + QStringLiteral(".audit-head"), copy + QStringLiteral(".audit-head")));
    sqlite3* raw = nullptr;
    sqlite3_open(copy.toUtf8().constData(), &raw);
    QCOMPARE(sqlite3_exec(raw, "DROP TRIGGER audit_entries_no_update; UPDATE audit_entries SET actor='mallory' WHERE sequence=57",
                          nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
    r = cli({QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--db"), copy, QStringLiteral("--no-record")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.out.contains(QLatin1String("first bad sequence 57 (edited)")), qPrintable(r.out));
    QVERIFY(r.out.contains(QLatin1String("TAMPERED")));
  }

  void exportIsSafeCsvAndFilteredJson() {
    Run r = cli({QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--db"), db_, QStringLiteral("--format"),
                 QStringLiteral("csv")});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.startsWith(QLatin1String("console_id,sequence,utc,")));
    QVERIFY(r.out.contains(QLatin1String("'=cmd|' /C calc'!A0")));  // formula neutralised
    QVERIFY(r.out.contains(QLatin1String("\"a,b\"\"c\"")));          // RFC 4180 quoting
    r = cli({QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--db"), db_, QStringLiteral("--format"),
             QStringLiteral("json"), QStringLiteral("--user"), QStringLiteral("tester"), QStringLiteral("--from"),
             QStringLiteral("2000-01-01"), QStringLiteral("--to"), QStringLiteral("2999-12-31")});
    QCOMPARE(r.code, 0);
    const QJsonArray rows = QJsonDocument::fromJson(r.out.toUtf8()).array();
    QCOMPARE(rows.size(), 200);
    QCOMPARE(rows.first().toObject().value(QLatin1String("actor")).toString(), QStringLiteral("tester"));
    r = cli({QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--db"), db_, QStringLiteral("--format"),
             QStringLiteral("pdf")});
    QCOMPARE(r.code, 2);
  }

  void backupWhileAnotherProcessWritesThenRestore() {
    QProcess writer;
    writer.start(QCoreApplication::applicationDirPath() + QStringLiteral("/audit_append_child"),
                 {db_, dir_.path(), QStringLiteral("0"), QStringLiteral("16")});
    QVERIFY(writer.waitForStarted());
    QVERIFY(writer.waitForReadyRead(10000));  // it is appending now
    const QString backup = dir_.filePath(QStringLiteral("backup.db"));
    Run r = cli({QStringLiteral("backup"), QStringLiteral("--db"), db_, QStringLiteral("--out"), backup});
    writer.kill();
    writer.waitForFinished();
    QVERIFY2(r.code == 0, qPrintable(r.err));
    // The copy is one consistent snapshot: its chain verifies on its own.
    r = cli({QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--db"), backup, QStringLiteral("--no-record")});
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    // Restore it over the live database; the rollback is recorded and the result verifies.
    r = cli({QStringLiteral("restore"), QStringLiteral("--db"), db_, QStringLiteral("--from"), backup});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = cli({QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--db"), db_});
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    r = cli({QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--db"), db_, QStringLiteral("--format"),
             QStringLiteral("csv")});
    QVERIFY(r.out.contains(QLatin1String("store.restored")));
    QVERIFY(!QDir(dir_.path()).entryList({QStringLiteral("clinic.db.audit-head.before-restore-*")}).isEmpty());
  }

  void demoBuildsAClinicOnceAndItVerifies() {
    const QString demo = dir_.filePath(QStringLiteral("demo.db"));
    Run r = cli({QStringLiteral("demo"), QStringLiteral("--db"), demo, QStringLiteral("--minutes"), QStringLiteral("12"),
                 QStringLiteral("--json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QVERIFY(o.value(QLatin1String("sessions")).toInt() >= 3);
    QVERIFY(o.value(QLatin1String("ltrs")).toInt() > 0);
    QCOMPARE(o.value(QLatin1String("logins")).toArray().size(), 5);
    QCOMPARE(cli({QStringLiteral("demo"), QStringLiteral("--db"), demo}).code, 2);  // never over real data
    r = cli({QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--db"), demo});
    QVERIFY2(r.code == 0, qPrintable(r.out));
    r = cli({QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--db"), demo, QStringLiteral("--format"),
             QStringLiteral("csv")});
    for (const char* action : {"supervisor.approved", "safety.refused", "safety.acknowledged", "laser.dose", "session.signed"}) {
      QVERIFY2(r.out.contains(QLatin1String(action)), action);
    }
  }

 private:
  Run cli(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(TAUTBAND_CLI_PATH), args + QStringList{QStringLiteral("--data-dir"), dir_.path()});
    p.waitForFinished(60000);
    return Run{p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
  }
  QTemporaryDir dir_;
  QString db_;
};

QTEST_GUILESS_MAIN(StoreCliTest)
#include "test_store_cli.moc"
