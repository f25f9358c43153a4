#pragma once

#include "store/AuditSink.h"
#include "store/ConsoleKey.h"
#include "store/Database.h"
#include "store/StoreSettings.h"

#include <QMetaObject>
#include <QObject>
#include <QPointer>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <variant>

namespace tautband::store {

struct ChainHead {
  std::int64_t sequence = 0;  // 0 = empty chain
  Hash32 hash = kZeroHash;
};

// What a job sees: the writer's connection inside the current group-commit
// transaction, and the audit chain. A job may run more than once (when another
// job in its batch fails the batch is replayed without it), so it must only
// touch the database through this object.
class WriteTransaction {
 public:
  WriteTransaction(Connection& c, const std::string& consoleId, ChainHead& head, bool& checkpointRequested,
                   QString& checkpointReason, std::function<void()> afterAppend)
      : c_(c), consoleId_(consoleId), head_(head), checkpointRequested_(checkpointRequested),
        checkpointReason_(checkpointReason), afterAppend_(std::move(afterAppend)) {}

  Engine engine() const { return c_.engine(); }
  QSqlQuery exec(const QString& sql, const QVariantList& binds = {}) { return c_.exec(sql, binds); }
  qint64 insert(const QString& sql, const QVariantList& binds) { return c_.insert(sql, binds); }

  // Appends an audit entry in this transaction; returns its sequence.
  std::int64_t audit(const AuditEntryDraft& draft);
  // Adds a signed checkpoint at the end of this batch (e.g. at session end).
  void requestCheckpoint(const QString& reason) {
    checkpointRequested_ = true;
    checkpointReason_ = reason;
  }
  const std::string& consoleId() const { return consoleId_; }

 private:
  Connection& c_;
  const std::string& consoleId_;
  ChainHead& head_;
  bool& checkpointRequested_;
  QString& checkpointReason_;
  std::function<void()> afterAppend_;  // the writer's "every N entries" checkpoint
  std::string scratch_;
};

// The outcome handed to a callback on its Qt thread.
template <class T>
struct Outcome {
  std::optional<T> value;
  QString error;  // empty when ok
  bool ok() const { return value.has_value(); }
};

// Owns the store thread: the only connection that writes. Jobs queue up; the
// thread takes everything queued (up to maxBatch), runs it in ONE transaction,
// commits (one fsync for the batch: group commit), and only then completes
// each job's future/callback. "Acknowledged" therefore means durable.
class StoreWriter final : public AuditSink {
 public:
  // Opens the connection on the new thread and runs the migrations; throws
  // StoreError if that fails.
  StoreWriter(StoreSettings settings, std::shared_ptr<const ConsoleKey> key);
  ~StoreWriter() override;  // drains the queue, writes a final checkpoint, stops the thread

  template <class F>
  auto submit(F&& work) -> std::future<std::invoke_result_t<F, WriteTransaction&>> {
    using T = std::invoke_result_t<F, WriteTransaction&>;
    auto promise = std::make_shared<std::promise<T>>();
    auto future = promise->get_future();
    enqueue(makeJob<T>(std::forward<F>(work),
                       [promise](auto&& result) {
                         if constexpr (std::is_void_v<T>) promise->set_value();
                         else promise->set_value(std::move(result));
                       },
                       [promise](std::exception_ptr e) { promise->set_exception(e); }));
    return future;
  }

  // Callback form for the GUI: `done` runs on `context`'s thread (queued), never blocks it.
  template <class F, class Done>
  void submit(F&& work, QObject* context, Done&& done) {
    using T = std::invoke_result_t<F, WriteTransaction&>;
    using V = std::conditional_t<std::is_void_v<T>, std::monostate, T>;
    QPointer<QObject> guard(context);
    auto cb = std::make_shared<std::decay_t<Done>>(std::forward<Done>(done));
    enqueue(makeJob<T>(
        std::forward<F>(work),
        [guard, cb](auto&& result) {
          Outcome<V> o;
          if constexpr (std::is_void_v<T>) o.value = std::monostate{};
          else o.value = std::move(result);
          if (guard) QMetaObject::invokeMethod(guard.data(), [cb, o]() { (*cb)(o); }, Qt::QueuedConnection);
        },
        [guard, cb](std::exception_ptr e) {
          Outcome<V> o;
          try {
            std::rethrow_exception(e);
          } catch (const std::exception& ex) {
            o.error = QString::fromStdString(ex.what());
          } catch (...) {
            o.error = QStringLiteral("unknown error");
          }
          if (guard) QMetaObject::invokeMethod(guard.data(), [cb, o]() { (*cb)(o); }, Qt::QueuedConnection);
        }));
  }

  // Blocking convenience for the CLI and tests. Never call it on the GUI thread.
  template <class F>
  auto run(F&& work) {
    return submit(std::forward<F>(work)).get();
  }

  // AuditSink
  std::future<std::int64_t> append(AuditEntryDraft draft) override;

  // Forces a signed checkpoint now (e.g. at session end); ready when durable.
  std::future<std::int64_t> checkpoint(QString reason);

  const std::string& consoleId() const { return consoleId_; }
  Engine engine() const { return settings_.engine; }
  const StoreSettings& settings() const { return settings_; }
  std::uint64_t commitCount() const { return commits_.load(); }

 private:
  struct Job {
    std::function<void(WriteTransaction&)> run;  // may run again after a replay
    std::function<void()> succeed;               // after COMMIT
    std::function<void(std::exception_ptr)> fail;
  };

  template <class T, class F, class Ok, class Fail>
  static Job makeJob(F&& work, Ok&& ok, Fail&& fail) {
    using Slot = std::conditional_t<std::is_void_v<T>, std::monostate, std::optional<T>>;
    auto slot = std::make_shared<Slot>();
    Job job;
    job.run = [slot, w = std::forward<F>(work)](WriteTransaction& tx) mutable {
      if constexpr (std::is_void_v<T>) w(tx);
      else *slot = w(tx);
    };
    job.succeed = [slot, o = std::forward<Ok>(ok)]() mutable {
      if constexpr (std::is_void_v<T>) o(std::monostate{});
      else o(std::move(**slot));
    };
    job.fail = std::forward<Fail>(fail);
    return job;
  }

  void enqueue(Job job);
  void threadMain(std::promise<void> started);
  void runBatch(std::deque<Job>& batch);
  void loadHead();
  void writeCheckpoint(const QString& reason);
  void writeSignedHead();

  StoreSettings settings_;
  std::shared_ptr<const ConsoleKey> key_;
  std::string consoleId_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> commits_{0};

  // Owned by the store thread only.
  std::unique_ptr<Connection> connection_;
  ChainHead head_;
  std::int64_t lastCheckpointSequence_ = 0;
  std::chrono::steady_clock::time_point lastCheckpointTime_;
  bool checkpointRequested_ = false;
  QString checkpointReason_;
  std::int64_t signedHeadSequence_ = -1;
  Hash32 signedHeadHash_{};
  std::int64_t signedHeadUtcUs_ = 0;
  Signature64 signedHeadSignature_{};

  std::thread thread_;
};

}  // namespace tautband::store
