#include "store/AuditReader.h"

#include "store/Database.h"

#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

#include <cstring>
#include <filesystem>

namespace tautband::store {
namespace {

constexpr const char* kSelectColumns =
    "SELECT console_id, sequence, utc_us, session_clock_us, actor, role, action, subject, details, prev_hash, hash "
    "FROM audit_entries";

template <std::size_t N>
void copyBlob(std::array<unsigned char, N>& out, const void* data, int size) {
  out.fill(0);
  if (data && size > 0) std::memcpy(out.data(), data, std::min<std::size_t>(N, static_cast<std::size_t>(size)));
  // A blob of the wrong size can never match a recomputed hash: make it differ.
  if (size != static_cast<int>(N)) out[0] ^= 0x5A;
}

class SqliteAuditReader final : public AuditReader {
 public:
  explicit SqliteAuditReader(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw StoreError("database " + path.string() + " does not exist");
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw StoreError("cannot open " + path.string() + ": " + why);
    }
    sqlite3_busy_timeout(db_, 5000);
    sqlite3_stmt* probe = nullptr;
    const int rc = sqlite3_prepare_v2(db_, "SELECT 1 FROM audit_entries LIMIT 1", -1, &probe, nullptr);
    sqlite3_finalize(probe);
    if (rc != SQLITE_OK) {
      const std::string why = sqlite3_errmsg(db_);
      sqlite3_close(db_);
      db_ = nullptr;
      throw StoreError("cannot read the audit trail in " + path.string() + ": " + why);
    }
  }
  ~SqliteAuditReader() override {
    sqlite3_finalize(stmt_);
    sqlite3_close(db_);
  }

  void start(const std::optional<std::string>& consoleId) override {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    std::string sql = kSelectColumns;
    sql += consoleId ? " WHERE console_id = ?1 ORDER BY console_id, sequence" : " ORDER BY console_id, sequence";
    prepare(sql, &stmt_);
    if (consoleId) sqlite3_bind_text(stmt_, 1, consoleId->data(), static_cast<int>(consoleId->size()), SQLITE_TRANSIENT);
  }

  bool next(AuditRecord& r) override {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_DONE) return false;
    if (rc != SQLITE_ROW) throw StoreError(std::string("reading the audit trail failed: ") + sqlite3_errmsg(db_));
    text(0, r.consoleId);
    r.sequence = sqlite3_column_int64(stmt_, 1);
    r.utcUs = sqlite3_column_int64(stmt_, 2);
    if (sqlite3_column_type(stmt_, 3) == SQLITE_NULL) r.sessionClockUs.reset();
    else r.sessionClockUs = sqlite3_column_int64(stmt_, 3);
    text(4, r.actor);
    text(5, r.role);
    text(6, r.action);
    text(7, r.subject);
    text(8, r.details);
    copyBlob(r.previousHash, sqlite3_column_blob(stmt_, 9), sqlite3_column_bytes(stmt_, 9));
    copyBlob(r.hash, sqlite3_column_blob(stmt_, 10), sqlite3_column_bytes(stmt_, 10));
    return true;
  }

  std::vector<CheckpointRow> checkpoints() override {
    sqlite3_stmt* s = nullptr;
    prepare("SELECT console_id, sequence, head_hash, utc_us, signature, reason FROM audit_checkpoints "
            "ORDER BY console_id, sequence",
            &s);
    std::vector<CheckpointRow> out;
    while (sqlite3_step(s) == SQLITE_ROW) {
      CheckpointRow c;
      c.consoleId = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
      c.sequence = sqlite3_column_int64(s, 1);
      copyBlob(c.headHash, sqlite3_column_blob(s, 2), sqlite3_column_bytes(s, 2));
      c.utcUs = sqlite3_column_int64(s, 3);
      copyBlob(c.signature, sqlite3_column_blob(s, 4), sqlite3_column_bytes(s, 4));
      const auto* reason = sqlite3_column_text(s, 5);
      c.reason = reason ? reinterpret_cast<const char*>(reason) : "";
      out.push_back(std::move(c));
    }
    sqlite3_finalize(s);
    return out;
  }

  std::vector<SignedHead> serverHeads() override {
    // A SQLite file carries its own copy; the independent one is the file beside it.
    return {};
  }

 private:
  void prepare(const std::string& sql, sqlite3_stmt** s) {
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, s, nullptr) != SQLITE_OK) {
      throw StoreError(std::string("cannot read the audit trail: ") + sqlite3_errmsg(db_));
    }
  }
  void text(int col, std::string& out) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    out.assign(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class QtSqlAuditReader final : public AuditReader {
 public:
  explicit QtSqlAuditReader(const StoreSettings& settings) : c_(settings, true), query_(c_.db()) {
    c_.exec(QStringLiteral("SELECT 1 FROM audit_entries LIMIT 1"));
  }

  void start(const std::optional<std::string>& consoleId) override {
    query_ = QSqlQuery(c_.db());
    query_.setForwardOnly(true);
    QString sql = QString::fromLatin1(kSelectColumns);
    sql += consoleId ? QStringLiteral(" WHERE console_id = ? ORDER BY console_id, sequence")
                     : QStringLiteral(" ORDER BY console_id, sequence");
    query_.prepare(sql);
    if (consoleId) query_.addBindValue(QString::fromStdString(*consoleId));
    if (!query_.exec()) throw StoreError("reading the audit trail failed: " + query_.lastError().text().toStdString());
  }

  bool next(AuditRecord& r) override {
    if (!query_.next()) return false;
    r.consoleId = query_.value(0).toString().toStdString();
    r.sequence = query_.value(1).toLongLong();
    r.utcUs = query_.value(2).toLongLong();
    if (query_.isNull(3)) r.sessionClockUs.reset();
    else r.sessionClockUs = query_.value(3).toLongLong();
    r.actor = query_.value(4).toString().toStdString();
    r.role = query_.value(5).toString().toStdString();
    r.action = query_.value(6).toString().toStdString();
    r.subject = query_.value(7).toString().toStdString();
    r.details = query_.value(8).toString().toStdString();
    const QByteArray prev = query_.value(9).toByteArray();
    const QByteArray hash = query_.value(10).toByteArray();
    copyBlob(r.previousHash, prev.constData(), static_cast<int>(prev.size()));
    copyBlob(r.hash, hash.constData(), static_cast<int>(hash.size()));
    return true;
  }

  std::vector<CheckpointRow> checkpoints() override {
    QSqlQuery q = c_.exec(QStringLiteral("SELECT console_id, sequence, head_hash, utc_us, signature, reason "
                                         "FROM audit_checkpoints ORDER BY console_id, sequence"));
    std::vector<CheckpointRow> out;
    while (q.next()) {
      CheckpointRow c;
      c.consoleId = q.value(0).toString().toStdString();
      c.sequence = q.value(1).toLongLong();
      const QByteArray h = q.value(2).toByteArray();
      copyBlob(c.headHash, h.constData(), static_cast<int>(h.size()));
      c.utcUs = q.value(3).toLongLong();
      const QByteArray s = q.value(4).toByteArray();
      copyBlob(c.signature, s.constData(), static_cast<int>(s.size()));
      c.reason = q.value(5).toString().toStdString();
      out.push_back(std::move(c));
    }
    return out;
  }

  std::vector<SignedHead> serverHeads() override {
    QSqlQuery q = c_.exec(QStringLiteral("SELECT console_id, sequence, head_hash, utc_us, signature FROM audit_heads"));
    std::vector<SignedHead> out;
    while (q.next()) {
      SignedHead h;
      h.consoleId = q.value(0).toString().toStdString();
      h.sequence = q.value(1).toLongLong();
      const QByteArray hh = q.value(2).toByteArray();
      copyBlob(h.hash, hh.constData(), static_cast<int>(hh.size()));
      h.utcUs = q.value(3).toLongLong();
      const QByteArray s = q.value(4).toByteArray();
      copyBlob(h.signature, s.constData(), static_cast<int>(s.size()));
      out.push_back(std::move(h));
    }
    return out;
  }

 private:
  Connection c_;
  QSqlQuery query_;
};

}  // namespace

std::unique_ptr<AuditReader> AuditReader::open(const StoreSettings& settings) {
  if (settings.engine == Engine::Sqlite) return std::make_unique<SqliteAuditReader>(settings.sqlitePath);
  return std::make_unique<QtSqlAuditReader>(settings);
}

}  // namespace tautband::store
