#pragma once

#include "store/StoreSettings.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <initializer_list>
#include <stdexcept>

namespace tautband::store {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown when the user or role is not allowed to do what was asked (audited by the caller).
class PermissionDenied : public StoreError {
 public:
  using StoreError::StoreError;
};

// A named Qt Sql connection owned by the thread that opened it; removed on destruction.
class Connection {
 public:
  // Opens and configures the connection (SQLite: WAL, synchronous=FULL, foreign keys,
  // busy timeout). Throws StoreError with the driver's message.
  explicit Connection(const StoreSettings& settings, bool readOnly = false);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  QSqlDatabase& db() { return db_; }
  Engine engine() const { return engine_; }

  // Runs one statement with positional bindings; throws StoreError on failure.
  QSqlQuery exec(const QString& sql, std::initializer_list<QVariant> binds = {});
  QSqlQuery exec(const QString& sql, const QVariantList& binds);
  // Runs an INSERT ... RETURNING id and returns the id.
  qint64 insert(const QString& sql, const QVariantList& binds);

  void begin();  // SQLite: BEGIN IMMEDIATE (takes the write lock now, so group commit never upgrades)
  void commit();
  void rollback();

 private:
  QString name_;
  QSqlDatabase db_;
  Engine engine_;
};

// The placeholders in migrations: {ID} {BLOB} {REAL} {WITHOUT_ROWID}.
QString adaptSql(QString sql, Engine engine);

// Parses postgresql://user:pass@host:port/db into a QPSQL connection.
void configurePostgres(QSqlDatabase& db, const QString& url);

}  // namespace tautband::store
