#pragma once

#include <QString>

#include <chrono>
#include <cstdint>
#include <filesystem>

namespace tautband::store {

enum class Engine { Sqlite, Postgres };

// Where the data lives and how the audit trail is checkpointed. A `--db`
// value is either a SQLite file path or a postgresql:// URL (fromLocation).
struct StoreSettings {
  Engine engine = Engine::Sqlite;
  std::filesystem::path sqlitePath;  // engine == Sqlite
  QString postgresUrl;               // engine == Postgres: postgresql://user:pass@host:port/db
  std::filesystem::path dataDir;     // console key lives here
  std::filesystem::path headFile;    // external signed head; empty = default (see headFilePath())
  int busyTimeoutMs = 5000;
  int checkpointEveryEntries = 1000;
  std::chrono::milliseconds checkpointEvery{10000};
  int maxBatch = 1024;  // jobs per group commit

  // "postgres://" / "postgresql://" → PostgreSQL, anything else → SQLite file path.
  static StoreSettings fromLocation(const QString& location, const std::filesystem::path& dataDir);
  // Default database file in the data directory.
  static std::filesystem::path defaultSqlitePath(const std::filesystem::path& dataDir) {
    return dataDir / "tautband.db";
  }

  // <db>.audit-head beside a SQLite file; for PostgreSQL, in the data directory.
  std::filesystem::path headFilePath() const;
  // A human/secret-free description (no password) for messages and the audit.
  QString describe() const;
};

}  // namespace tautband::store
