#include "store/Backup.h"

#include "store/Database.h"

#include <QFile>

#include <sodium.h>
#include <sqlite3.h>

#include <cstdio>
#include <memory>
#include <thread>

namespace tautband::store {
namespace fs = std::filesystem;
namespace {
struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using SqlitePtr = std::unique_ptr<sqlite3, SqliteCloser>;

SqlitePtr openSqlite(const fs::path& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  SqlitePtr db(raw);
  if (rc != SQLITE_OK) {
    throw StoreError("cannot open " + path.string() + ": " + (raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  sqlite3_busy_timeout(raw, 5000);
  return db;
}
}  // namespace

QString hashFile(const fs::path& file) {
  QFile f(QString::fromStdString(file.string()));
  if (!f.open(QIODevice::ReadOnly)) throw StoreError("cannot read " + file.string());
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 32);
  QByteArray chunk;
  while (!(chunk = f.read(1 << 20)).isEmpty()) {
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(chunk.constData()),
                              static_cast<unsigned long long>(chunk.size()));
  }
  unsigned char out[32];
  crypto_generichash_final(&state, out, 32);
  return QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(out), 32).toHex());
}

BackupResult backupSqlite(const fs::path& source, const fs::path& destination) {
  std::error_code ec;
  if (!fs::exists(source, ec)) throw StoreError("database " + source.string() + " does not exist");
  const fs::path tmp = destination.string() + ".partial";
  fs::remove(tmp, ec);
  {
    SqlitePtr from = openSqlite(source, SQLITE_OPEN_READONLY);
    SqlitePtr to = openSqlite(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    sqlite3_backup* backup = sqlite3_backup_init(to.get(), "main", from.get(), "main");
    if (!backup) throw StoreError("cannot start the backup: " + std::string(sqlite3_errmsg(to.get())));
    int rc;
    // -1 = all pages in one step: one read transaction, hence one consistent snapshot.
    while ((rc = sqlite3_backup_step(backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
      fs::remove(tmp, ec);
      throw StoreError("backup failed: " + std::string(sqlite3_errstr(rc)));
    }
    // The copy is a single self-contained file (no WAL beside it).
    sqlite3_exec(to.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
  }
  fs::rename(tmp, destination, ec);
  if (ec) throw StoreError("cannot move the backup to " + destination.string() + ": " + ec.message());
  BackupResult r;
  r.file = destination;
  r.bytes = static_cast<qint64>(fs::file_size(destination, ec));
  r.blake2bHex = hashFile(destination);
  return r;
}

}  // namespace tautband::store

namespace tautband::store {
void restoreSqlite(const fs::path& backupFile, const fs::path& target) {
  std::error_code ec;
  if (!fs::exists(backupFile, ec)) throw StoreError("backup " + backupFile.string() + " does not exist");
  SqlitePtr from = openSqlite(backupFile, SQLITE_OPEN_READONLY);
  {
    sqlite3_stmt* probe = nullptr;
    const int rc = sqlite3_prepare_v2(from.get(), "SELECT 1 FROM audit_entries LIMIT 1", -1, &probe, nullptr);
    sqlite3_finalize(probe);
    if (rc != SQLITE_OK) throw StoreError(backupFile.string() + " is not a Tautband database");
  }
  SqlitePtr to = openSqlite(target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3_backup* backup = sqlite3_backup_init(to.get(), "main", from.get(), "main");
  if (!backup) throw StoreError("cannot start the restore: " + std::string(sqlite3_errmsg(to.get())));
  int rc;
  while ((rc = sqlite3_backup_step(backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) throw StoreError("restore failed: " + std::string(sqlite3_errstr(rc)));
  sqlite3_exec(to.get(), "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
}
}  // namespace tautband::store
