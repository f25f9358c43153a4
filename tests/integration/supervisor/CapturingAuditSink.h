#pragma once

// The store's side of the audit trail, in memory: every entry the console posts through
// store::AuditForwarder (attach it with forwarder.attach(sink)). For console-level tests that
// check what was audited without a database.
#include "store/AuditSink.h"

#include <QJsonObject>

#include <algorithm>
#include <future>
#include <mutex>
#include <vector>

namespace tautband::testsupport {

class CapturingAuditSink : public store::AuditSink {
 public:
  std::future<std::int64_t> append(store::AuditEntryDraft draft) override {
    std::lock_guard lock(mutex_);
    entries_.push_back(std::move(draft));
    std::promise<std::int64_t> done;
    done.set_value(static_cast<std::int64_t>(entries_.size()));
    return done.get_future();
  }
  // The details of the last entry with this action (whose details contain `key`, if given), or {}.
  QJsonObject last(const QString& action, const QString& key = {}) {
    std::lock_guard lock(mutex_);
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it)
      if (it->action == action && (key.isEmpty() || it->details.contains(key))) return it->details;
    return {};
  }
  int count(const QString& action) {
    std::lock_guard lock(mutex_);
    return static_cast<int>(std::count_if(entries_.begin(), entries_.end(),
                                          [&](const store::AuditEntryDraft& e) { return e.action == action; }));
  }
  int count(const QString& action, const QString& key, const QString& value) {
    std::lock_guard lock(mutex_);
    return static_cast<int>(std::count_if(entries_.begin(), entries_.end(), [&](const store::AuditEntryDraft& e) {
      return e.action == action && e.details.value(key).toString() == value;
    }));
  }

 private:
  std::mutex mutex_;
  std::vector<store::AuditEntryDraft> entries_;
};

}  // namespace tautband::testsupport
