// Store benchmarks (BRIEF §7 "audit"):
//  1. durable audit appends per second through the writer thread (group
//     commit), against one transaction per entry measured in the same run;
//  2. `audit verify` of 1,000,000 entries (hash chain + latest signed
//     checkpoint + external head), against just reading the rows; and how long
//     --all-signatures takes.
#include "BenchReport.h"

#include "store/AuditHeadFile.h"
#include "store/Migrations.h"
#include "store/AuditVerifier.h"
#include "store/Store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <sqlite3.h>

#include <deque>

using namespace tautband;
using namespace tautband::store;

namespace {

AuditEntryDraft entry(int i) {
  return AuditEntryDraft{QStringLiteral("therapist%1").arg(i % 5), QStringLiteral("therapist"),
                         QStringLiteral("safety.evaluated"), QStringLiteral("session:%1").arg(i / 1000),
                         QJsonObject{{"rule", QStringLiteral("LUNG-LEN-1")}, {"outcome", QStringLiteral("allowed")},
                                     {"needle_mm", 30}, {"i", i}},
                         static_cast<std::int64_t>(i) * 1000};
}

// Appends `count` entries keeping `window` in flight; returns entries/s.
double appendRate(Store& store, int count, int window) {
  QElapsedTimer t;
  t.start();
  std::deque<std::future<std::int64_t>> pending;
  for (int i = 0; i < count; ++i) {
    pending.push_back(store.audit().append(entry(i)));
    while (static_cast<int>(pending.size()) >= window) {
      pending.front().get();
      pending.pop_front();
    }
  }
  while (!pending.empty()) {
    pending.front().get();
    pending.pop_front();
  }
  return count / (static_cast<double>(t.nsecsElapsed()) / 1e9);
}

// Builds a 1M-entry chain quickly with the same serialisation, hashing and
// signing code the writer uses (through the writer it would take minutes on
// a shared 2-core machine, and the writer's speed is measured above).
void buildLargeChain(const std::filesystem::path& db, const ConsoleKey& key, int entries, int checkpointEvery,
                     const std::filesystem::path& headFile) {
  {
    StoreSettings s = StoreSettings::fromLocation(QString::fromStdString(db.string()), db.parent_path());
    Connection c(s);
    migrate(c);
  }
  sqlite3* raw = nullptr;
  sqlite3_open(db.c_str(), &raw);
  sqlite3_exec(raw, "PRAGMA synchronous=OFF; BEGIN", nullptr, nullptr, nullptr);
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(raw,
                     "INSERT INTO audit_entries (console_id, sequence, utc_us, session_clock_us, actor, role, action, "
                     "subject, details, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                     -1, &ins, nullptr);
  sqlite3_stmt* ckp = nullptr;
  sqlite3_prepare_v2(raw,
                     "INSERT INTO audit_checkpoints (console_id, sequence, head_hash, utc_us, public_key, signature, "
                     "reason) VALUES (?,?,?,?,?,?,'periodic')",
                     -1, &ckp, nullptr);
  AuditRecord r;
  r.consoleId = key.consoleId();
  std::string scratch;
  Hash32 prev = kZeroHash;
  const std::int64_t t0 = utcNowUs();
  for (int i = 1; i <= entries; ++i) {
    const AuditEntryDraft d = entry(i);
    r.sequence = i;
    r.utcUs = t0 + i * 500;
    r.sessionClockUs = d.sessionClockUs;
    r.actor = d.actor.toStdString();
    r.role = d.role.toStdString();
    r.action = d.action.toStdString();
    r.subject = d.subject.toStdString();
    r.details = QJsonDocument(d.details).toJson(QJsonDocument::Compact).toStdString();
    r.previousHash = prev;
    r.hash = computeEntryHash(r, scratch);
    prev = r.hash;
    sqlite3_bind_text(ins, 1, r.consoleId.data(), static_cast<int>(r.consoleId.size()), SQLITE_STATIC);
    sqlite3_bind_int64(ins, 2, r.sequence);
    sqlite3_bind_int64(ins, 3, r.utcUs);
    sqlite3_bind_int64(ins, 4, *r.sessionClockUs);
    sqlite3_bind_text(ins, 5, r.actor.data(), static_cast<int>(r.actor.size()), SQLITE_STATIC);
    sqlite3_bind_text(ins, 6, r.role.data(), static_cast<int>(r.role.size()), SQLITE_STATIC);
    sqlite3_bind_text(ins, 7, r.action.data(), static_cast<int>(r.action.size()), SQLITE_STATIC);
    sqlite3_bind_text(ins, 8, r.subject.data(), static_cast<int>(r.subject.size()), SQLITE_STATIC);
    sqlite3_bind_text(ins, 9, r.details.data(), static_cast<int>(r.details.size()), SQLITE_STATIC);
    sqlite3_bind_blob(ins, 10, r.previousHash.data(), 32, SQLITE_STATIC);
    sqlite3_bind_blob(ins, 11, r.hash.data(), 32, SQLITE_STATIC);
    sqlite3_step(ins);
    sqlite3_reset(ins);
    if (i % checkpointEvery == 0 || i == entries) {
      const Signature64 sig = key.sign(checkpointMessage(r.consoleId, i, r.hash, r.utcUs));
      sqlite3_bind_text(ckp, 1, r.consoleId.data(), static_cast<int>(r.consoleId.size()), SQLITE_STATIC);
      sqlite3_bind_int64(ckp, 2, i);
      sqlite3_bind_blob(ckp, 3, r.hash.data(), 32, SQLITE_STATIC);
      sqlite3_bind_int64(ckp, 4, r.utcUs);
      sqlite3_bind_blob(ckp, 5, key.publicKey().data(), 32, SQLITE_STATIC);
      sqlite3_bind_blob(ckp, 6, sig.data(), 64, SQLITE_STATIC);
      sqlite3_step(ckp);
      sqlite3_reset(ckp);
      if (i == entries) {
        QString error;
        writeHeadFile(headFile, SignedHead{r.consoleId, i, r.hash, r.utcUs, sig}, &error);
      }
    }
  }
  sqlite3_finalize(ins);
  sqlite3_finalize(ckp);
  sqlite3_exec(raw, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  sqlite3_close(raw);
}

double readOnlySeconds(const StoreSettings& s) {
  auto reader = AuditReader::open(s);
  QElapsedTimer t;
  t.start();
  reader->start(std::nullopt);
  AuditRecord r;
  std::int64_t n = 0;
  while (reader->next(r)) n += r.sequence & 1;
  const double seconds = static_cast<double>(t.nsecsElapsed()) / 1e9;
  if (n < 0) std::printf("impossible\n");
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  const int verifyEntries = argc > 1 ? std::atoi(argv[1]) : 1'000'000;
  QTemporaryDir dir;
  bench::Report report(QStringLiteral("store"));

  // 1. Durable appends.
  double grouped = 0, single = 0;
  {
    StoreSettings s = StoreSettings::fromLocation(dir.filePath(QStringLiteral("append.db")), dir.path().toStdString());
    auto store = Store::open(s, PasswordPolicy::minimumForTests());
    single = appendRate(*store, 300, 1);  // baseline: wait for each COMMIT (one transaction per entry)
    grouped = appendRate(*store, 20000, 512);
  }
  report.add(bench::Figure{QStringLiteral("durable_appends"), QStringLiteral("entries/s"), grouped,
                           QStringLiteral("mean"), 20000,
                           bench::Baseline{QStringLiteral("one_commit_per_entry"), single, QStringLiteral("entries/s")},
                           bench::Target{QStringLiteral(">="), 2000, QStringLiteral("entries/s")}});

  // 2. Verify a million entries.
  const ConsoleKey key = ConsoleKey::loadOrCreate(dir.path().toStdString());
  const auto db = std::filesystem::path(dir.filePath(QStringLiteral("verify.db")).toStdString());
  StoreSettings vs = StoreSettings::fromLocation(QString::fromStdString(db.string()), dir.path().toStdString());
  buildLargeChain(db, key, verifyEntries, 1000, vs.headFilePath());
  VerifyOptions options;
  options.keys[key.consoleId()] = key.publicKey();
  options.headFile = vs.headFilePath();
  std::vector<double> verifySeconds, allSigSeconds, readSeconds;
  bool intact = true;
  for (int run = 0; run < 3; ++run) {
    readSeconds.push_back(readOnlySeconds(vs));
    auto reader = AuditReader::open(vs);
    options.allSignatures = false;
    VerifyReport r = verifyAuditTrail(*reader, options);
    intact = intact && r.intact() && r.chains.at(0).lastSequence == verifyEntries;
    verifySeconds.push_back(r.seconds);
    options.allSignatures = true;
    r = verifyAuditTrail(*reader, options);
    intact = intact && r.intact();
    allSigSeconds.push_back(r.seconds);
  }
  report.add(bench::Figure{QStringLiteral("verify_1M"), QStringLiteral("s"), bench::percentile(verifySeconds, 50),
                           QStringLiteral("median"), 3,
                           bench::Baseline{QStringLiteral("read_rows_only"), bench::percentile(readSeconds, 50),
                                           QStringLiteral("s")},
                           bench::Target{QStringLiteral("<"), 2.0, QStringLiteral("s")}});
  report.add(bench::Figure{QStringLiteral("verify_1M_all_signatures"), QStringLiteral("s"),
                           bench::percentile(allSigSeconds, 50), QStringLiteral("median"), 3,
                           bench::Baseline{QStringLiteral("latest_signature_only"), bench::percentile(verifySeconds, 50),
                                           QStringLiteral("s")},
                           std::nullopt});
  report.setNotes(QStringLiteral("%1 entries, checkpoint every 1000 (%2 signatures with --all-signatures); chain %3. "
                                 "Appends: SQLite WAL, synchronous=FULL, 512 in flight; baseline waits for each commit.")
                      .arg(verifyEntries)
                      .arg(verifyEntries / 1000)
                      .arg(intact ? QStringLiteral("verified intact") : QStringLiteral("FAILED TO VERIFY")));
  if (!intact) {
    std::fprintf(stderr, "the generated chain did not verify\n");
    return 1;
  }
  return report.finish();
}
