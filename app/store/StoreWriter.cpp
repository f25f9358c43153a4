#include "store/StoreWriter.h"

#include "core/Logging.h"
#include "store/AuditHeadFile.h"
#include "store/Migrations.h"

#include <QJsonDocument>

#include <cstring>

namespace tautband::store {
namespace {

QByteArray bytes(const Hash32& h) { return QByteArray(reinterpret_cast<const char*>(h.data()), 32); }
QVariant i64(std::int64_t v) { return QVariant::fromValue<qint64>(v); }

// Thrown inside a batch to replay it without the job that failed.
struct ReplayWithout {
  std::size_t index;
  std::exception_ptr error;
};

}  // namespace

std::int64_t WriteTransaction::audit(const AuditEntryDraft& d) {
  AuditRecord r;
  r.consoleId = consoleId_;
  r.sequence = head_.sequence + 1;
  r.utcUs = utcNowUs();
  r.sessionClockUs = d.sessionClockUs;
  r.actor = d.actor.toStdString();
  r.role = d.role.toStdString();
  r.action = d.action.toStdString();
  r.subject = d.subject.toStdString();
  r.details = QJsonDocument(d.details).toJson(QJsonDocument::Compact).toStdString();
  r.previousHash = head_.hash;
  r.hash = computeEntryHash(r, scratch_);
  c_.exec(QStringLiteral("INSERT INTO audit_entries (console_id, sequence, utc_us, session_clock_us, actor, role, "
                         "action, subject, details, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)"),
          {QString::fromStdString(r.consoleId), i64(r.sequence), i64(r.utcUs),
           r.sessionClockUs ? i64(*r.sessionClockUs) : QVariant(QMetaType::fromType<qint64>()),
           // Bind exactly the bytes that were hashed (a null QString would become SQL NULL).
           QString::fromStdString(r.actor), QString::fromStdString(r.role), QString::fromStdString(r.action),
           QString::fromStdString(r.subject), QString::fromStdString(r.details), bytes(r.previousHash),
           bytes(r.hash)});
  head_.sequence = r.sequence;
  head_.hash = r.hash;
  if (afterAppend_) afterAppend_();
  return r.sequence;
}

StoreWriter::StoreWriter(StoreSettings settings, std::shared_ptr<const ConsoleKey> key)
    : settings_(std::move(settings)), key_(std::move(key)), consoleId_(key_->consoleId()) {
  std::promise<void> started;
  auto ready = started.get_future();
  thread_ = std::thread([this, p = std::move(started)]() mutable { threadMain(std::move(p)); });
  try {
    ready.get();
  } catch (...) {
    thread_.join();
    throw;
  }
}

StoreWriter::~StoreWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StoreWriter::enqueue(Job job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      job.fail(std::make_exception_ptr(StoreError("the store is shutting down")));
      return;
    }
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

std::future<std::int64_t> StoreWriter::append(AuditEntryDraft draft) {
  return submit([d = std::move(draft)](WriteTransaction& tx) { return tx.audit(d); });
}

std::future<std::int64_t> StoreWriter::checkpoint(QString reason) {
  return submit([reason](WriteTransaction& tx) {
    tx.requestCheckpoint(reason);
    return std::int64_t{0};
  });
}

void StoreWriter::threadMain(std::promise<void> started) {
  try {
    connection_ = std::make_unique<Connection>(settings_);
    migrate(*connection_);
    connection_->begin();
    loadHead();
    connection_->commit();
    started.set_value();
  } catch (...) {
    connection_.reset();
    started.set_exception(std::current_exception());
    return;
  }
  lastCheckpointTime_ = std::chrono::steady_clock::now();
  auto log = core::logger(core::subsystem::kStore);
  for (;;) {
    std::deque<Job> batch;
    bool stop = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, settings_.checkpointEvery, [this] { return !queue_.empty() || stopping_; });
      const std::size_t n = std::min<std::size_t>(queue_.size(), static_cast<std::size_t>(settings_.maxBatch));
      for (std::size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      stop = stopping_ && queue_.empty();
    }
    if (stop && batch.empty()) {
      if (head_.sequence > lastCheckpointSequence_) {
        checkpointRequested_ = true;
        checkpointReason_ = QStringLiteral("shutdown");
      }
      runBatch(batch);
      break;
    }
    runBatch(batch);
  }
  connection_.reset();
  log->debug("store writer stopped after {} commits", commits_.load());
}

void StoreWriter::loadHead() {
  Connection& c = *connection_;
  const QString cid = QString::fromStdString(consoleId_);
  if (c.engine() == Engine::Postgres) {
    // Several processes (console, CLI) may share a chain: one appender at a time.
    c.exec(QStringLiteral("SELECT pg_advisory_xact_lock(hashtext(?))"), {cid});
  }
  QSqlQuery q = c.exec(QStringLiteral("SELECT sequence, hash FROM audit_entries WHERE console_id = ? "
                                      "ORDER BY sequence DESC LIMIT 1"),
                       {cid});
  head_ = ChainHead{};
  if (q.next()) {
    head_.sequence = q.value(0).toLongLong();
    const QByteArray h = q.value(1).toByteArray();
    if (h.size() == 32) std::memcpy(head_.hash.data(), h.constData(), 32);
  }
  QSqlQuery k = c.exec(QStringLiteral("SELECT COALESCE(MAX(sequence), 0) FROM audit_checkpoints WHERE console_id = ?"),
                       {cid});
  lastCheckpointSequence_ = k.next() ? k.value(0).toLongLong() : 0;
}

void StoreWriter::writeCheckpoint(const QString& reason) {
  const std::int64_t utc = utcNowUs();
  const Signature64 sig = key_->sign(checkpointMessage(consoleId_, head_.sequence, head_.hash, utc));
  connection_->exec(QStringLiteral("INSERT INTO audit_checkpoints (console_id, sequence, head_hash, utc_us, "
                                   "public_key, signature, reason) VALUES (?,?,?,?,?,?,?)"),
                    {QString::fromStdString(consoleId_), i64(head_.sequence), bytes(head_.hash), i64(utc),
                     QByteArray(reinterpret_cast<const char*>(key_->publicKey().data()), 32),
                     QByteArray(reinterpret_cast<const char*>(sig.data()), 64), reason});
  lastCheckpointSequence_ = head_.sequence;
  lastCheckpointTime_ = std::chrono::steady_clock::now();
}

void StoreWriter::runBatch(std::deque<Job>& batch) {
  const auto now = std::chrono::steady_clock::now();
  if (batch.empty() && !checkpointRequested_ &&
      !(head_.sequence > lastCheckpointSequence_ && now - lastCheckpointTime_ >= settings_.checkpointEvery)) {
    return;
  }
  Connection& c = *connection_;
  for (;;) {
    bool advanced = false;
    try {
      c.begin();
      loadHead();
      const std::int64_t startSequence = head_.sequence;
      bool requested = checkpointRequested_;
      QString reason = checkpointReason_;
      // Exactly every N entries, even inside a large group commit.
      WriteTransaction tx(c, consoleId_, head_, requested, reason, [this] {
        if (head_.sequence - lastCheckpointSequence_ >= settings_.checkpointEveryEntries) {
          writeCheckpoint(QStringLiteral("periodic"));
        }
      });
      for (std::size_t i = 0; i < batch.size(); ++i) {
        try {
          batch[i].run(tx);
        } catch (...) {
          throw ReplayWithout{i, std::current_exception()};
        }
      }
      const bool due = requested || head_.sequence - lastCheckpointSequence_ >= settings_.checkpointEveryEntries ||
                       (head_.sequence > lastCheckpointSequence_ &&
                        std::chrono::steady_clock::now() - lastCheckpointTime_ >= settings_.checkpointEvery);
      if (due && head_.sequence > lastCheckpointSequence_) {
        writeCheckpoint(reason.isEmpty() ? QStringLiteral("periodic") : reason);
      }
      advanced = head_.sequence != startSequence;
      if (advanced || (due && signedHeadSequence_ != head_.sequence)) {
        signedHeadUtcUs_ = utcNowUs();
        signedHeadSequence_ = head_.sequence;
        signedHeadHash_ = head_.hash;
        signedHeadSignature_ = key_->sign(checkpointMessage(consoleId_, head_.sequence, head_.hash, signedHeadUtcUs_));
        c.exec(QStringLiteral("INSERT INTO audit_heads (console_id, sequence, head_hash, utc_us, signature) "
                              "VALUES (?,?,?,?,?) ON CONFLICT (console_id) DO UPDATE SET sequence = excluded.sequence, "
                              "head_hash = excluded.head_hash, utc_us = excluded.utc_us, signature = excluded.signature"),
               {QString::fromStdString(consoleId_), i64(head_.sequence), bytes(head_.hash), i64(signedHeadUtcUs_),
                QByteArray(reinterpret_cast<const char*>(signedHeadSignature_.data()), 64)});
        advanced = true;
      }
      c.commit();
      checkpointRequested_ = false;
      checkpointReason_.clear();
    } catch (ReplayWithout& replay) {
      c.rollback();
      batch[replay.index].fail(replay.error);
      batch.erase(batch.begin() + static_cast<std::ptrdiff_t>(replay.index));
      if (batch.empty() && !checkpointRequested_) return;
      continue;
    } catch (...) {
      c.rollback();
      const auto error = std::current_exception();
      core::logger(core::subsystem::kStore)->error("group commit failed; {} jobs failed", batch.size());
      for (Job& job : batch) job.fail(error);
      return;
    }
    commits_.fetch_add(1);
    for (Job& job : batch) job.succeed();
    if (advanced) writeSignedHead();
    return;
  }
}

void StoreWriter::writeSignedHead() {
  SignedHead head{consoleId_, signedHeadSequence_, signedHeadHash_, signedHeadUtcUs_, signedHeadSignature_};
  QString error;
  if (!writeHeadFile(settings_.headFilePath(), head, &error)) {
    core::logger(core::subsystem::kStore)->warn("cannot write external audit head: {}", error.toStdString());
  }
}

}  // namespace tautband::store
