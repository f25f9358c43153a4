#pragma once

#include "store/AuditSink.h"

#include <QString>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <future>
#include <mutex>
#include <thread>

namespace tautband::store {

// The console's way into the audit trail from any thread without waiting on disk.
//
// Why it exists: the GUI thread must never wait on an fsync, the supervisor thread must
// keep its 50 ms keep-alives, and the store opens in the background after the first frame.
// post() only queues; a watcher thread hands entries to the store's writer in order (so
// group commit still batches them) and then waits for each to become durable.
//
// What it guarantees: entries reach the store in the order they were posted, including
// those posted before the store was attached. An entry that cannot be made durable is
// never dropped silently: it is written in full to the `store` log and the failure handler
// runs (the console turns emission off and refuses further acts). After a failure,
// healthy() stays false; callers that must not act on an unrecorded decision check it.
class AuditForwarder {
 public:
  // Runs on the watcher thread, once per entry that failed, after that entry was logged.
  using FailureHandler = std::function<void(const QString& reason)>;

  // maxHeld bounds the entries kept while no store is attached; beyond it they are
  // logged in full and reported as failures, never silently discarded.
  explicit AuditForwarder(FailureHandler onFailure, std::size_t maxHeld = 10000);
  ~AuditForwarder();  // hands over what is queued, waits until it is durable or failed

  AuditForwarder(const AuditForwarder&) = delete;
  AuditForwarder& operator=(const AuditForwarder&) = delete;

  // Any thread. Never blocks on disk.
  void post(AuditEntryDraft draft);

  // The store is open: held entries go to it first, in order. The forwarder keeps the
  // sink alive (an aliasing pointer into the Store) until its last entry is durable.
  void attach(std::shared_ptr<AuditSink> sink);
  // The store will not open: every held and future entry is logged and reported as failed.
  void abandon(const QString& reason);

  // Replaces the failure handler (e.g. once the supervisor it stops exists; empty before
  // what it refers to is destroyed).
  void setFailureHandler(FailureHandler onFailure);

  bool healthy() const;
  QString lastFailure() const;
  // Entries posted but not yet durable (held, queued or in flight).
  std::size_t pending() const;
  // Blocks until everything posted so far is durable or failed (tests, shutdown).
  void drain();

 private:
  struct InFlight {
    AuditEntryDraft draft;
    std::future<std::int64_t> durable;
  };

  void run();
  void fail(const AuditEntryDraft& draft, const QString& reason);

  std::mutex handlerMutex_;  // held while the handler runs and while it is replaced
  FailureHandler onFailure_;
  const std::size_t maxHeld_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable settled_;
  std::deque<AuditEntryDraft> queued_;
  std::shared_ptr<AuditSink> sink_;
  QString abandonedReason_;
  bool stopping_ = false;
  bool healthy_ = true;
  QString lastFailure_;
  std::size_t inFlight_ = 0;
  std::thread watcher_;
};

}  // namespace tautband::store
