#pragma once

#include "store/Database.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace tautband::store {

struct Migration {
  int version;
  QString name;
  QStringList common;    // engine-neutral statements (placeholders, see adaptSql)
  QStringList sqlite;    // SQLite-only statements (triggers)
  QStringList postgres;  // PostgreSQL-only statements (functions, triggers, grants)
};

// Every migration in order. A migration is never edited after release: add a new one.
const std::vector<Migration>& allMigrations();
int latestSchemaVersion();

// Applies the missing migrations, each in its own transaction, and returns the
// resulting version. On PostgreSQL an advisory lock keeps consoles starting
// together from migrating twice. Throws StoreError naming the failing migration.
int migrate(Connection& connection);
int currentSchemaVersion(Connection& connection);

}  // namespace tautband::store
