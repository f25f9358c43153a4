#include "store/AuditForwarder.h"

#include "core/Logging.h"

#include <QJsonDocument>

#include <utility>
#include <vector>

namespace tautband::store {
namespace {

auto log() { return core::logger(core::subsystem::kStore); }

std::string describe(const AuditEntryDraft& draft) {
  QJsonObject entry{{QStringLiteral("actor"), draft.actor},     {QStringLiteral("role"), draft.role},
                    {QStringLiteral("action"), draft.action},   {QStringLiteral("subject"), draft.subject},
                    {QStringLiteral("details"), draft.details}};
  if (draft.sessionClockUs) entry.insert(QStringLiteral("session_clock_us"), static_cast<double>(*draft.sessionClockUs));
  return QJsonDocument(entry).toJson(QJsonDocument::Compact).toStdString();
}

}  // namespace

AuditForwarder::AuditForwarder(FailureHandler onFailure, std::size_t maxHeld)
    : onFailure_(std::move(onFailure)), maxHeld_(maxHeld), watcher_([this] { run(); }) {}

AuditForwarder::~AuditForwarder() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  watcher_.join();
}

void AuditForwarder::post(AuditEntryDraft draft) {
  bool overflow = false;
  {
    std::lock_guard lock(mutex_);
    overflow = sink_ == nullptr && abandonedReason_.isEmpty() && queued_.size() >= maxHeld_;
    if (!overflow) {
      queued_.push_back(std::move(draft));
    }
  }
  if (overflow) {
    fail(draft, QStringLiteral("the store has not opened and %1 audit entries are already waiting").arg(maxHeld_));
    return;
  }
  wake_.notify_one();
}

void AuditForwarder::attach(std::shared_ptr<AuditSink> sink) {
  {
    std::lock_guard lock(mutex_);
    sink_ = std::move(sink);
  }
  wake_.notify_one();
}

void AuditForwarder::abandon(const QString& reason) {
  {
    std::lock_guard lock(mutex_);
    abandonedReason_ = reason.isEmpty() ? QStringLiteral("the store is unavailable") : reason;
  }
  wake_.notify_one();
}

void AuditForwarder::setFailureHandler(FailureHandler onFailure) {
  // Waits for a handler that is running, so what it refers to may be destroyed afterwards.
  std::lock_guard calling(handlerMutex_);
  onFailure_ = std::move(onFailure);
}

bool AuditForwarder::healthy() const {
  std::lock_guard lock(mutex_);
  return healthy_;
}

QString AuditForwarder::lastFailure() const {
  std::lock_guard lock(mutex_);
  return lastFailure_;
}

std::size_t AuditForwarder::pending() const {
  std::lock_guard lock(mutex_);
  return queued_.size() + inFlight_;
}

void AuditForwarder::drain() {
  std::unique_lock lock(mutex_);
  settled_.wait(lock, [this] {
    const bool stuck = sink_ == nullptr && abandonedReason_.isEmpty();  // nothing can move yet
    return (queued_.empty() || stuck) && inFlight_ == 0;
  });
}

void AuditForwarder::fail(const AuditEntryDraft& draft, const QString& reason) {
  // The entry itself goes to the log first: a manager can still find it.
  log()->critical("audit entry NOT in the audit trail ({}): {}", reason.toStdString(), describe(draft));
  {
    std::lock_guard lock(mutex_);
    healthy_ = false;
    lastFailure_ = reason;
  }
  // The handler (emission off) may itself post an entry that fails: it runs once per
  // thread at a time, never recursively.
  thread_local bool inHandler = false;
  if (inHandler) return;
  std::lock_guard calling(handlerMutex_);
  inHandler = true;
  try {
    if (onFailure_) onFailure_(reason);
  } catch (const std::exception& e) {
    log()->critical("the audit failure handler failed: {}", e.what());
  }
  inHandler = false;
}

void AuditForwarder::run() {
  std::vector<InFlight> batch;
  for (;;) {
    std::deque<AuditEntryDraft> taken;
    std::shared_ptr<AuditSink> sink;
    QString abandoned;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] {
        return stopping_ || (!queued_.empty() && (sink_ != nullptr || !abandonedReason_.isEmpty()));
      });
      const bool canMove = sink_ != nullptr || !abandonedReason_.isEmpty();
      if (stopping_ && (queued_.empty() || !canMove)) {
        for (const auto& draft : queued_) {
          log()->critical("audit entry NOT in the audit trail (the console stopped before the store opened): {}",
                          describe(draft));
        }
        queued_.clear();
        settled_.notify_all();
        return;
      }
      taken.swap(queued_);
      sink = sink_;
      abandoned = abandonedReason_;
      inFlight_ = taken.size();
    }

    if (!sink) {
      for (const auto& draft : taken) fail(draft, abandoned);
    } else {
      // Hand the whole batch over before waiting, so the writer commits it as one group.
      batch.clear();
      for (auto& draft : taken) {
        InFlight entry{std::move(draft), {}};
        try {
          entry.durable = sink->append(entry.draft);
        } catch (const std::exception& e) {
          std::promise<std::int64_t> failed;
          failed.set_exception(std::make_exception_ptr(std::runtime_error(e.what())));
          entry.durable = failed.get_future();
        }
        batch.push_back(std::move(entry));
      }
      for (auto& entry : batch) {
        try {
          entry.durable.get();
        } catch (const std::exception& e) {
          fail(entry.draft, QStringLiteral("the store did not record it: %1").arg(QString::fromUtf8(e.what())));
        }
      }
    }
    {
      std::lock_guard lock(mutex_);
      inFlight_ = 0;
    }
    settled_.notify_all();
  }
}

}  // namespace tautband::store
