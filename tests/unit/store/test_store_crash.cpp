// Kill -9 loses no acknowledged entry: a child process appends audit entries
// through the real writer and prints each acknowledged sequence; we SIGKILL it
// at random moments, 100 times, and check after each kill that every
// acknowledged entry is there, PRAGMA integrity_check says ok and the chain verifies.
#include "StoreTestUtil.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QtTest>

#include <sqlite3.h>

#include <csignal>

using namespace tautband::store;
using namespace tautband::store::testing;

class StoreCrashTest : public QObject {
  Q_OBJECT
 private slots:
  void killNineNeverLosesAnAcknowledgedEntry() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString db = dir.filePath(QStringLiteral("crash.db"));
    const QString child = QCoreApplication::applicationDirPath() + QStringLiteral("/audit_append_child");
    QVERIFY2(QFile::exists(child), qPrintable(child));
    QRandomGenerator rng(42);
    std::int64_t maxAcknowledged = 0;
    QElapsedTimer total;
    total.start();
    for (int round = 0; round < 100; ++round) {
      QProcess p;
      p.setProgram(child);
      p.setArguments({db, dir.path(), QStringLiteral("0"), QString::number(1 + rng.bounded(128))});
      p.start();
      QVERIFY(p.waitForStarted());
      // Random moment: from "still opening the database" to "well into appending".
      QTest::qWait(static_cast<int>(5 + rng.bounded(120)));
      ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
      QVERIFY(p.waitForFinished(5000));
      QCOMPARE(p.exitStatus(), QProcess::CrashExit);
      for (const QByteArray& line : p.readAllStandardOutput().split('\n')) {
        if (!line.isEmpty()) maxAcknowledged = std::max<std::int64_t>(maxAcknowledged, line.toLongLong());
      }

      // Open as a fresh process would (recovers the WAL), then check.
      sqlite3* raw = nullptr;
      QCOMPARE(sqlite3_open(db.toUtf8().constData(), &raw), SQLITE_OK);
      sqlite3_stmt* s = nullptr;
      sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &s, nullptr);
      QCOMPARE(sqlite3_step(s), SQLITE_ROW);
      const QString integrity = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
      sqlite3_finalize(s);
      sqlite3_prepare_v2(raw, "SELECT COALESCE(MAX(sequence), 0), COUNT(*) FROM audit_entries", -1, &s, nullptr);
      std::int64_t last = 0, count = 0;
      if (sqlite3_step(s) == SQLITE_ROW) {
        last = sqlite3_column_int64(s, 0);
        count = sqlite3_column_int64(s, 1);
      }
      sqlite3_finalize(s);
      sqlite3_close(raw);
      QCOMPARE(integrity, QStringLiteral("ok"));
      QVERIFY2(last >= maxAcknowledged,
               qPrintable(QStringLiteral("round %1: acknowledged %2 but only %3 stored").arg(round).arg(maxAcknowledged).arg(last)));
      QCOMPARE(count, last);  // no holes

      VerifyOptions options;
      const auto pk = ConsoleKey::readPublicKeyFile(dir.filePath(QString::fromLatin1(ConsoleKey::kPublicKeyFile)).toStdString());
      options.keys[ConsoleKey::consoleIdFor(pk)] = pk;
      options.headFile = (db + QStringLiteral(".audit-head")).toStdString();
      auto reader = AuditReader::open(StoreSettings::fromLocation(db, dir.path().toStdString()));
      const VerifyReport report = verifyAuditTrail(*reader, options);
      QVERIFY2(report.intact(), qPrintable(QStringLiteral("round %1: %2").arg(round).arg(report.toText())));
    }
    QVERIFY2(maxAcknowledged > 1000, "the child should have acknowledged a fair number of entries");
    qInfo("100 kills, %lld entries acknowledged, none lost, %.1f s", static_cast<long long>(maxAcknowledged),
          static_cast<double>(total.elapsed()) / 1000.0);
  }
};

QTEST_GUILESS_MAIN(StoreCrashTest)
#include "test_store_crash.moc"
