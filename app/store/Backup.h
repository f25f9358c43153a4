#pragma once

#include <QString>

#include <filesystem>

namespace tautband::store {

struct BackupResult {
  std::filesystem::path file;
  qint64 bytes = 0;
  QString blake2bHex;  // of the backup file, recorded in the audit
};

// Copies a live SQLite database with the SQLite online backup API: one read
// transaction, so the copy is consistent even while the console keeps writing
// (WAL readers do not block the writer). Writes to a temporary file and renames.
// Throws StoreError with SQLite's message.
BackupResult backupSqlite(const std::filesystem::path& source, const std::filesystem::path& destination);

// Hash of a whole file (BLAKE2b-256, hex); throws StoreError when unreadable.
QString hashFile(const std::filesystem::path& file);

}  // namespace tautband::store

namespace tautband::store {
// Replaces the database at `target` with the backup's content through the
// online backup API (so an open WAL database stays consistent). The caller
// checks the backup first (verify) and audits the restore in the result.
void restoreSqlite(const std::filesystem::path& backupFile, const std::filesystem::path& target);
}  // namespace tautband::store
