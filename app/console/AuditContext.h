#pragma once

#include "store/Access.h"

#include <QString>

#include <mutex>
#include <optional>

namespace tautband::console {

// Who is acting and in which session, as the audit trail needs it on every thread.
// The GUI thread updates it on login, logout, lock and session changes; the safety
// supervisor's thread and the view models read a consistent copy.
class AuditContext {
 public:
  struct Snapshot {
    store::Actor actor = store::Actor::system();
    std::optional<qint64> sessionId;
    std::optional<qint64> patientId;
  };

  Snapshot snapshot() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  void setActor(std::optional<store::Actor> actor) {
    std::lock_guard lock(mutex_);
    current_.actor = actor ? *actor : store::Actor::system();
  }
  void setSession(std::optional<qint64> sessionId, std::optional<qint64> patientId) {
    std::lock_guard lock(mutex_);
    current_.sessionId = sessionId;
    current_.patientId = patientId;
  }

 private:
  mutable std::mutex mutex_;
  Snapshot current_;
};

}  // namespace tautband::console
