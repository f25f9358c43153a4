// The same schema, writer and verifier on a real PostgreSQL, started for this
// test by scripts/pg-test-server.sh (initdb in a temp dir, private port).
#include "StoreTestUtil.h"

#include "store/Migrations.h"

#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

using namespace tautband::store;
using namespace tautband::store::testing;

class StorePostgresTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    const QString script = QStringLiteral(TAUTBAND_SOURCE_DIR "/scripts/pg-test-server.sh");
    QProcess probe;
    probe.start(script, {QStringLiteral("bindir")});
    QVERIFY(probe.waitForFinished(10000));
    if (probe.exitCode() == 3) {
      QSKIP("*** POSTGRESQL SERVER BINARIES NOT INSTALLED: the PostgreSQL migration/store tests DID NOT RUN. "
            "Install the postgresql package (scripts/install-deps.sh). ***");
    }
    QVERIFY(serverDir_.isValid());
    // The server runs as `postgres` when we are root: let it traverse into its own subdirectory.
    QFile::setPermissions(serverDir_.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                                 QFile::ExeGroup | QFile::ExeOther);
    QProcess start;
    start.start(script, {QStringLiteral("start"), serverDir_.path() + QStringLiteral("/pg")});
    QVERIFY(start.waitForFinished(60000));
    QVERIFY2(start.exitCode() == 0, start.readAllStandardError().constData());
    const QList<QByteArray> lines = start.readAllStandardOutput().trimmed().split('\n');
    url_ = QString::fromUtf8(lines.last().trimmed());
    QVERIFY2(url_.startsWith(QLatin1String("postgresql://")), qPrintable(url_));
    started_ = true;
  }

  void cleanupTestCase() {
    if (!started_) return;
    QProcess stop;
    stop.start(QStringLiteral(TAUTBAND_SOURCE_DIR "/scripts/pg-test-server.sh"),
               {QStringLiteral("stop"), serverDir_.path() + QStringLiteral("/pg")});
    stop.waitForFinished(30000);
  }

  void migrationsCreateTheSameSchema() {
    QTemporaryDir data;
    StoreSettings s = StoreSettings::fromLocation(url_, data.path().toStdString());
    QCOMPARE(s.engine, Engine::Postgres);
    Connection c(s);
    QCOMPARE(migrate(c), latestSchemaVersion());
    QCOMPARE(migrate(c), latestSchemaVersion());
    for (const char* table : {"users", "credentials", "patients", "screenings", "consents", "sessions", "sites",
                              "needles", "ltr_events", "emg_recordings", "laser_doses", "estim", "pain_scores",
                              "adverse_events", "notes", "signoffs", "addenda", "devices", "laser_power_checks",
                              "eyewear", "clinic_settings", "audit_entries", "audit_checkpoints", "audit_heads"}) {
      QSqlQuery q = c.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(QLatin1String(table)));
      QVERIFY2(q.next(), table);
    }
  }

  void twoConsolesKeepTheirOwnChainsAndRowsAreAppendOnly() {
    QTemporaryDir a, b;
    auto storeA = Store::open(StoreSettings::fromLocation(url_, a.path().toStdString()), PasswordPolicy::minimumForTests());
    auto storeB = Store::open(StoreSettings::fromLocation(url_, b.path().toStdString()), PasswordPolicy::minimumForTests());
    QVERIFY(storeA->key().consoleId() != storeB->key().consoleId());
    std::vector<std::future<std::int64_t>> acks;
    for (int i = 0; i < 300; ++i) {
      acks.push_back(storeA->audit().append(draft(QStringLiteral("pg.a"), QStringLiteral("x"), {{"i", i}})));
      acks.push_back(storeB->audit().append(draft(QStringLiteral("pg.b"), QStringLiteral("y'); DROP TABLE users;--"))));
    }
    for (auto& f : acks) f.get();
    // Clinical writes through the same API.
    const UserRecord admin = storeA->users().createFirstAdmin(QStringLiteral("admin"), QStringLiteral("A"),
                                                               QStringLiteral("long-enough-pw")).get();
    const UserRecord t = storeA->users().createUser(admin.actor(), QStringLiteral("t"), QStringLiteral("T"),
                                                    Role::Therapist, QStringLiteral("long-enough-pw")).get();
    PatientDraft p;
    p.mrn = QStringLiteral("PG-1");
    p.familyName = QString::fromUtf8("O'Brien \u05E9\u05DC\u05D5\u05DD");
    p.givenName = QStringLiteral("<b>x</b>");
    const qint64 pid = storeB->clinical().createPatient(t.actor(), p).get();
    QCOMPARE(storeA->clinical().readPatient(t.actor(), pid).get().familyName, p.familyName);
    const qint64 session = storeA->clinical().startSession(t.actor(), pid).get();
    storeA->clinical().endSession(t.actor(), session, 1000).get();
    storeB->writer().checkpoint(QStringLiteral("test")).get();

    VerifyOptions options;
    options.keys[storeA->key().consoleId()] = storeA->key().publicKey();
    options.keys[storeB->key().consoleId()] = storeB->key().publicKey();
    options.headFile = storeA->settings().headFilePath();
    {
      auto reader = AuditReader::open(storeA->settings());
      const VerifyReport report = verifyAuditTrail(*reader, options);
      QVERIFY2(report.intact(), qPrintable(report.toText()));
      QCOMPARE(report.chains.size(), std::size_t{2});
      for (const auto& chain : report.chains) QVERIFY(chain.lastSequence >= 300);
    }

    // Triggers refuse UPDATE, DELETE and TRUNCATE, even for the owner.
    Connection c(storeA->settings());
    for (const char* sql : {"UPDATE audit_entries SET actor = 'mallory'", "DELETE FROM audit_entries",
                            "TRUNCATE audit_entries", "DELETE FROM audit_checkpoints"}) {
      QSqlQuery q(c.db());
      QVERIFY2(!q.exec(QString::fromLatin1(sql)), sql);
      QVERIFY2(q.lastError().text().contains(QLatin1String("append-only")), qPrintable(q.lastError().text()));
    }
    // With the triggers gone an edit is still caught by the verifier.
    c.exec(QStringLiteral("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only"));
    c.exec(QStringLiteral("UPDATE audit_entries SET actor = 'mallory' WHERE console_id = ? AND sequence = 17"),
           {QString::fromStdString(storeB->key().consoleId())});
    c.exec(QStringLiteral("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only"));
    auto reader = AuditReader::open(storeA->settings());
    const VerifyReport report = verifyAuditTrail(*reader, options);
    QVERIFY(!report.intact());
    QCOMPARE(report.firstProblem->consoleId, storeB->key().consoleId());
    QCOMPARE(report.firstProblem->sequence, std::int64_t{17});
    QCOMPARE(report.firstProblem->kind, TamperKind::Edited);
  }

 private:
  QTemporaryDir serverDir_;
  QString url_;
  bool started_ = false;
};

QTEST_GUILESS_MAIN(StorePostgresTest)
#include "test_store_postgres.moc"
