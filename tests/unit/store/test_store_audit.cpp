// The writer, the hash chain, checkpoints and the verifier on SQLite.
#include "StoreTestUtil.h"

#include "store/AuditVerifier.h"
#include "store/Migrations.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

using namespace tautband::store;
using namespace tautband::store::testing;

class StoreAuditTest : public QObject {
  Q_OBJECT
 private slots:
  void canonicalBytesAreStable() {
    // Pinned vector (docs/AUDIT.md): changing the serialisation breaks every stored chain.
    AuditRecord r;
    r.consoleId = std::string("c0ffee");
    r.sequence = 1;
    r.utcUs = 1700000000000000;
    r.actor = std::string("a");
    r.role = std::string("r");
    r.action = std::string("x");
    r.subject = std::string("s");
    r.details = std::string("{}");
    std::string bytes;
    appendCanonicalBytes(r, bytes);
    QCOMPARE(QByteArray::fromStdString(bytes).toHex(),
             QByteArray("544241554431"                      // "TBAUD1"
                        "00000006633066666565"              // console id
                        "0000000000000001"                  // sequence
                        "00060a24181e4000"                  // utc us
                        "00" "0000000000000000"             // no session clock
                        "0000000161" "0000000172" "0000000178" "0000000173"
                        "000000027b7d") +
                 QByteArray(64, '0'));
    r.sessionClockUs = 5;
    QVERIFY(computeEntryHash(r) != [&] { AuditRecord c = r; c.sessionClockUs.reset(); return computeEntryHash(c); }());
  }

  void migrationsCreateTheSchemaOnce() {
    QTemporaryDir dir;
    auto settings = sqliteSettings(dir);
    {
      Connection c(settings);
      QCOMPARE(migrate(c), latestSchemaVersion());
      QCOMPARE(migrate(c), latestSchemaVersion());  // idempotent
      for (const char* table : {"users", "credentials", "patients", "screenings", "consents", "sessions", "sites",
                                "needles", "ltr_events", "emg_recordings", "laser_doses", "estim", "pain_scores",
                                "adverse_events", "notes", "signoffs", "addenda", "devices", "laser_power_checks",
                                "eyewear", "clinic_settings", "audit_entries", "audit_checkpoints", "audit_heads"}) {
        QSqlQuery q = c.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(QLatin1String(table)));
        QVERIFY2(q.next(), table);
      }
      QSqlQuery j = c.exec(QStringLiteral("PRAGMA journal_mode"));
      QVERIFY(j.next());
      QCOMPARE(j.value(0).toString(), QStringLiteral("wal"));
      QSqlQuery s = c.exec(QStringLiteral("PRAGMA synchronous"));
      QVERIFY(s.next());
      QCOMPARE(s.value(0).toInt(), 2);  // FULL
      QSqlQuery f = c.exec(QStringLiteral("PRAGMA foreign_keys"));
      QVERIFY(f.next());
      QCOMPARE(f.value(0).toInt(), 1);
    }
  }

  void appendedEntriesFormAVerifiableChain() {
    QTemporaryDir dir;
    auto store = Store::open(sqliteSettings(dir), PasswordPolicy::minimumForTests());
    std::vector<std::future<std::int64_t>> acks;
    for (int i = 0; i < 500; ++i) acks.push_back(store->audit().append(draft(QStringLiteral("test.append"))));
    std::int64_t last = 0;
    for (auto& f : acks) {
      const auto seq = f.get();
      QVERIFY(seq == last + 1);  // in submission order, no gaps
      last = seq;
    }
    QVERIFY(store->writer().commitCount() < 500);  // group commit really grouped
    store->writer().checkpoint(QStringLiteral("test")).get();
    auto reader = AuditReader::open(store->settings());
    const VerifyReport report = verifyAuditTrail(*reader, optionsFor(*store));
    QVERIFY2(report.intact(), qPrintable(report.toText()));
    QCOMPARE(report.chains.size(), std::size_t{1});
    QCOMPARE(report.chains[0].lastSequence, std::int64_t{500});
    QCOMPARE(report.chains[0].externalHead, QStringLiteral("matches"));
    QVERIFY(report.chains[0].signaturesChecked >= 2);  // checkpoint + external head
  }

  void checkpointsFollowCountTimeAndShutdown() {
    QTemporaryDir dir;
    StoreSettings settings = sqliteSettings(dir);
    settings.checkpointEveryEntries = 10;
    settings.checkpointEvery = std::chrono::milliseconds(1000);
    {
      auto store = Store::open(settings, PasswordPolicy::minimumForTests());
      std::vector<std::future<std::int64_t>> acks;
      for (int i = 0; i < 25; ++i) acks.push_back(store->audit().append(draft(QStringLiteral("count"))));
      for (auto& a : acks) a.get();
      QCOMPARE(reasons(settings).mid(0, 2), (QStringList{QStringLiteral("10:periodic"), QStringLiteral("20:periodic")}));
      QTRY_COMPARE_WITH_TIMEOUT(reasons(settings).size(), 3, 5000);  // entries 21..25 waited T: signed by time
      QCOMPARE(reasons(settings).last(), QStringLiteral("25:periodic"));
      store->audit().append(draft(QStringLiteral("last"))).get();
      store->writer().checkpoint(QStringLiteral("session-end")).get();
      QCOMPARE(reasons(settings).last(), QStringLiteral("26:session-end"));
      store->audit().append(draft(QStringLiteral("after"))).get();
    }
    QCOMPARE(reasons(settings).last(), QStringLiteral("27:shutdown"));
  }

  void auditRowsRefuseUpdateAndDelete() {
    QTemporaryDir dir;
    auto store = Store::open(sqliteSettings(dir), PasswordPolicy::minimumForTests());
    store->audit().append(draft(QStringLiteral("x"))).get();
    store->writer().checkpoint(QStringLiteral("test")).get();
    Connection c(store->settings());
    for (const char* sql : {"UPDATE audit_entries SET actor = 'mallory'", "DELETE FROM audit_entries",
                            "UPDATE audit_checkpoints SET reason = 'x'", "DELETE FROM audit_checkpoints"}) {
      QSqlQuery q(c.db());
      QVERIFY2(!q.exec(QString::fromLatin1(sql)), sql);
      QVERIFY(q.lastError().text().contains(QLatin1String("append-only")));
    }
  }

  void failingJobDoesNotTakeItsBatchDown() {
    QTemporaryDir dir;
    auto store = Store::open(sqliteSettings(dir), PasswordPolicy::minimumForTests());
    auto a = store->audit().append(draft(QStringLiteral("a")));
    auto bad = store->writer().submit([](WriteTransaction& tx) {
      tx.audit(draft(QStringLiteral("rolled-back")));
      tx.exec(QStringLiteral("INSERT INTO no_such_table VALUES (1)"));
      return 0;
    });
    auto b = store->audit().append(draft(QStringLiteral("b")));
    QCOMPARE(a.get(), std::int64_t{1});
    QVERIFY_THROWS_EXCEPTION(StoreError, bad.get());
    QCOMPARE(b.get(), std::int64_t{2});  // the failed job's entry left no hole
    auto reader = AuditReader::open(store->settings());
    QVERIFY(verifyAuditTrail(*reader, optionsFor(*store)).intact());
  }

  void hostileTextIsStoredVerbatim() {
    QTemporaryDir dir;
    auto store = Store::open(sqliteSettings(dir), PasswordPolicy::minimumForTests());
    const QString hostile[] = {
        QStringLiteral("Robert'); DROP TABLE patients;--"),
        QStringLiteral("\"quoted\" 'single' `back` \\ backslash"),
        QStringLiteral("<script>alert('x')</script><b>bold</b>&amp;"),
        QString::fromUtf8("\u202Eمرحبا بالعالم \u05E9\u05DC\u05D5\u05DD RTL \u200F mixed"),
        QString::fromUtf8("emoji \xF0\x9F\x92\x89 and NUL-free controls \t\r\n"),
        QString(10 * 1024, QLatin1Char('x')) + QStringLiteral("€"),
    };
    const Actor admin = Actor::system();
    for (const QString& text : hostile) {
      PatientDraft p;
      p.mrn = QStringLiteral("MRN-") + QString::number(qHash(text));
      p.familyName = text;
      p.givenName = text.left(100);
      p.notes = text;
      const qint64 id = store->clinical().createPatient(admin, p).get();
      const Patient back = store->clinical().readPatient(admin, id).get();
      QCOMPARE(back.familyName, text);
      QCOMPARE(back.notes, text);
      // And inside the audit details, through JSON.
      store->audit().append(draft(QStringLiteral("hostile"), text, QJsonObject{{"text", text}})).get();
    }
    auto reader = AuditReader::open(store->settings());
    QVERIFY(verifyAuditTrail(*reader, optionsFor(*store)).intact());
    Connection c(store->settings());
    QSqlQuery q = c.exec(QStringLiteral("SELECT subject, details FROM audit_entries WHERE action = 'hostile' ORDER BY sequence"));
    int i = 0;
    while (q.next()) {
      QCOMPARE(q.value(0).toString(), hostile[i]);
      QCOMPARE(QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object().value(QLatin1String("text")).toString(),
               hostile[i]);
      ++i;
    }
    QCOMPARE(i, 6);
  }

 private:
  static QStringList reasons(const StoreSettings& settings) {
    Connection c(settings);
    QSqlQuery q = c.exec(QStringLiteral("SELECT sequence, reason FROM audit_checkpoints ORDER BY sequence"));
    QStringList out;
    while (q.next()) out << QStringLiteral("%1:%2").arg(q.value(0).toLongLong()).arg(q.value(1).toString());
    return out;
  }
};

QTEST_GUILESS_MAIN(StoreAuditTest)
#include "test_store_audit.moc"
