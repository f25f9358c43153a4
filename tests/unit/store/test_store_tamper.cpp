// 1,000 random tamperings of copies of a real audit database, made with raw
// SQL after dropping the append-only triggers: every one must be detected,
// with the right first bad sequence and kind.
#include "StoreTestUtil.h"

#include <QFile>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QtTest>

#include <sqlite3.h>

using namespace tautband::store;
using namespace tautband::store::testing;

namespace {

constexpr int kEntries = 1500;
constexpr int kCheckpointEvery = 100;

struct Expectation {
  std::int64_t sequence;
  TamperKind kind;
  QString what;
};

class RawDb {
 public:
  explicit RawDb(const QString& path) { QVERIFY_OPEN(path); }
  ~RawDb() { sqlite3_close(db_); }
  void exec(const QString& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.toUtf8().constData(), nullptr, nullptr, &err) != SQLITE_OK) {
      const QString message = QString::fromUtf8(err ? err : "?");
      sqlite3_free(err);
      qFatal("raw SQL failed: %s (%s)", qPrintable(message), qPrintable(sql));
    }
  }
  void execBlob(const char* sql, const QByteArray& blob, std::int64_t seq) {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db_, sql, -1, &s, nullptr);
    sqlite3_bind_blob(s, 1, blob.constData(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, seq);
    if (sqlite3_step(s) != SQLITE_DONE) qFatal("blob update failed: %s", sqlite3_errmsg(db_));
    sqlite3_finalize(s);
  }

 private:
  void QVERIFY_OPEN(const QString& path) {
    if (sqlite3_open(path.toUtf8().constData(), &db_) != SQLITE_OK) qFatal("cannot open %s", qPrintable(path));
  }
  sqlite3* db_ = nullptr;
};

QByteArray randomBytes(QRandomGenerator& rng, int n) {
  QByteArray b(n, '\0');
  for (auto& c : b) c = static_cast<char>(rng.bounded(256));
  return b;
}

}  // namespace

class StoreTamperTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    StoreSettings settings = sqliteSettings(dir_, "base.db");
    settings.checkpointEveryEntries = kCheckpointEvery;
    auto store = Store::open(settings, PasswordPolicy::minimumForTests());
    std::vector<std::future<std::int64_t>> acks;
    for (int i = 0; i < kEntries; ++i) {
      acks.push_back(store->audit().append(AuditEntryDraft{
          QStringLiteral("user%1").arg(i % 7), i % 2 ? QStringLiteral("therapist") : QStringLiteral("manager"),
          QStringLiteral("test.action%1").arg(i % 5), QStringLiteral("session:%1").arg(i / 50),
          QJsonObject{{"i", i}, {"text", QStringLiteral("note %1 'quoted'").arg(i)}},
          i % 4 ? std::optional<std::int64_t>(i * 1000LL) : std::nullopt}));
      if (i % 300 == 299) acks.back().wait();  // several group commits, several heads
    }
    for (auto& a : acks) a.get();
    store->writer().checkpoint(QStringLiteral("test")).get();
    options_ = optionsFor(*store);
    store.reset();  // closes: the WAL is folded into the file, which we then copy
    basePath_ = dir_.filePath(QStringLiteral("base.db"));
    baseHead_ = basePath_ + QStringLiteral(".audit-head");
    QVERIFY(QFile::exists(baseHead_));
    auto reader = AuditReader::open(settings);
    const VerifyReport intact = verifyAuditTrail(*reader, options_);
    QVERIFY2(intact.intact(), qPrintable(intact.toText()));
    QCOMPARE(intact.chains.at(0).lastSequence, std::int64_t{kEntries});
    QVERIFY(intact.chains.at(0).checkpoints >= std::size_t{kEntries / kCheckpointEvery});
    for (const auto& c : reader->checkpoints()) {
      if (c.sequence < kEntries) checkpointSequences_.push_back(c.sequence);
    }
  }

  void everyTamperingIsDetectedAtTheRightEntry() {
    QRandomGenerator rng(20261129);
    const QStringList columns{QStringLiteral("utc_us"), QStringLiteral("session_clock_us"), QStringLiteral("actor"),
                              QStringLiteral("role"),   QStringLiteral("action"),           QStringLiteral("subject"),
                              QStringLiteral("details"), QStringLiteral("prev_hash"),      QStringLiteral("hash")};
    const QString copy = dir_.filePath(QStringLiteral("copy.db"));
    const QString copyHead = copy + QStringLiteral(".audit-head");
    int counts[6] = {};
    for (int round = 0; round < 1000; ++round) {
      QFile::remove(copy);
      QFile::remove(copyHead);
      QVERIFY(QFile::copy(basePath_, copy));
      QVERIFY(QFile::copy(baseHead_, copyHead));
      Expectation expect{0, TamperKind::Edited, {}};
      {
        RawDb db(copy);
        db.exec(QStringLiteral("DROP TRIGGER audit_entries_no_update; DROP TRIGGER audit_entries_no_delete; "
                               "DROP TRIGGER audit_checkpoints_no_update; DROP TRIGGER audit_checkpoints_no_delete"));
        const int op = static_cast<int>(rng.bounded(5));
        ++counts[op];
        if (op == 0) {  // edit one value in place
          const std::int64_t s = 1 + rng.bounded(kEntries);
          const QString column = columns[static_cast<int>(rng.bounded(columns.size()))];
          if (column.endsWith(QLatin1String("hash"))) {
            db.execBlob(qPrintable(QStringLiteral("UPDATE audit_entries SET %1 = ?1 WHERE sequence = ?2").arg(column)),
                        randomBytes(rng, 32), s);
          } else if (column == QLatin1String("utc_us") || column == QLatin1String("session_clock_us")) {
            db.exec(QStringLiteral("UPDATE audit_entries SET %1 = COALESCE(%1, 0) + %2 WHERE sequence = %3")
                        .arg(column).arg(1 + rng.bounded(1000000)).arg(s));
          } else {
            db.exec(QStringLiteral("UPDATE audit_entries SET %1 = %1 || ' (amended %2)' WHERE sequence = %3")
                        .arg(column).arg(rng.bounded(1000)).arg(s));
          }
          expect = {s, TamperKind::Edited, QStringLiteral("edit %1 of %2").arg(column).arg(s)};
        } else if (op == 1) {  // delete one entry (the last one is a truncation)
          const std::int64_t s = 1 + rng.bounded(kEntries);
          db.exec(QStringLiteral("DELETE FROM audit_entries WHERE sequence = %1").arg(s));
          expect = {s, s == kEntries ? TamperKind::Truncated : TamperKind::Missing, QStringLiteral("delete %1").arg(s)};
        } else if (op == 2) {  // swap two entries' content, sequence numbers left in place
          std::int64_t a = 1 + rng.bounded(kEntries), b = 1 + rng.bounded(kEntries);
          while (b == a) b = 1 + rng.bounded(kEntries);
          if (a > b) std::swap(a, b);
          const QString cols = QStringLiteral("utc_us, session_clock_us, actor, role, action, subject, details, prev_hash, hash");
          db.exec(QStringLiteral("CREATE TEMP TABLE t AS SELECT sequence, %1 FROM audit_entries WHERE sequence IN (%2, %3);"
                                 "DELETE FROM audit_entries WHERE sequence IN (%2, %3);"
                                 "INSERT INTO audit_entries (console_id, sequence, %1) SELECT '%4', "
                                 "CASE sequence WHEN %2 THEN %3 ELSE %2 END, %1 FROM t;")
                      .arg(cols).arg(a).arg(b).arg(QString::fromStdString(options_.keys.begin()->first)));
          expect = {a, TamperKind::Reordered, QStringLiteral("swap %1 and %2").arg(a).arg(b)};
        } else if (op == 3) {  // cut the table's tail, checkpoints left behind
          const std::int64_t k = rng.bounded(kEntries);  // keep 0..k-1 entries
          db.exec(QStringLiteral("DELETE FROM audit_entries WHERE sequence > %1").arg(k));
          expect = {k + 1, TamperKind::Truncated, QStringLiteral("truncate after %1").arg(k)};
        } else {  // cut back to an old checkpoint, consistently: only the external head can tell
          const std::int64_t c =
              checkpointSequences_[rng.bounded(static_cast<quint32>(checkpointSequences_.size()))];
          db.exec(QStringLiteral("DELETE FROM audit_entries WHERE sequence > %1; DELETE FROM audit_checkpoints WHERE "
                                 "sequence > %1; UPDATE audit_heads SET sequence = c.sequence, head_hash = c.head_hash, "
                                 "utc_us = c.utc_us, signature = c.signature FROM audit_checkpoints c WHERE c.sequence = %1")
                      .arg(c));
          expect = {c + 1, TamperKind::Truncated, QStringLiteral("roll back to checkpoint %1").arg(c)};
        }
      }
      VerifyOptions options = options_;
      options.headFile = copyHead.toStdString();
      StoreSettings s = StoreSettings::fromLocation(copy, dir_.path().toStdString());
      auto reader = AuditReader::open(s);
      const VerifyReport report = verifyAuditTrail(*reader, options);
      QVERIFY2(!report.intact(), qPrintable(QStringLiteral("round %1 undetected: %2").arg(round).arg(expect.what)));
      QVERIFY2(report.firstProblem->sequence == expect.sequence && report.firstProblem->kind == expect.kind,
               qPrintable(QStringLiteral("round %1 (%2): expected %3 at %4, got %5 at %6: %7")
                              .arg(round).arg(expect.what, tamperKindName(expect.kind)).arg(expect.sequence)
                              .arg(tamperKindName(report.firstProblem->kind)).arg(report.firstProblem->sequence)
                              .arg(report.firstProblem->message)));
    }
    qInfo("edits %d, deletions %d, swaps %d, truncations %d, rollbacks to a checkpoint %d: all detected", counts[0],
          counts[1], counts[2], counts[3], counts[4]);
  }

  void forgedCheckpointSignatureIsCaught() {
    const QString copy = dir_.filePath(QStringLiteral("sig.db"));
    QFile::remove(copy);
    QVERIFY(QFile::copy(basePath_, copy));
    std::int64_t last = 0;
    {
      RawDb db(copy);
      db.exec(QStringLiteral("DROP TRIGGER audit_checkpoints_no_update"));
      sqlite3* raw = nullptr;
      sqlite3_open(copy.toUtf8().constData(), &raw);
      sqlite3_stmt* st = nullptr;
      sqlite3_prepare_v2(raw, "SELECT MAX(sequence) FROM audit_checkpoints", -1, &st, nullptr);
      sqlite3_step(st);
      last = sqlite3_column_int64(st, 0);
      sqlite3_finalize(st);
      sqlite3_close(raw);
      db.execBlob("UPDATE audit_checkpoints SET signature = ?1 WHERE sequence = ?2",
                  QByteArray(64, '\x42'), last);
    }
    VerifyOptions options = options_;
    options.headFile.reset();
    auto reader = AuditReader::open(StoreSettings::fromLocation(copy, dir_.path().toStdString()));
    const VerifyReport report = verifyAuditTrail(*reader, options);
    QVERIFY(!report.intact());
    QCOMPARE(report.firstProblem->kind, TamperKind::BadSignature);
    QCOMPARE(report.firstProblem->sequence, last);
  }

 private:
  QTemporaryDir dir_;
  QString basePath_;
  QString baseHead_;
  VerifyOptions options_;
  std::vector<std::int64_t> checkpointSequences_;
};

QTEST_GUILESS_MAIN(StoreTamperTest)
#include "test_store_tamper.moc"
