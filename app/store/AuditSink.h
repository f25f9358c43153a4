#pragma once

#include "store/AuditRecord.h"

#include <cstdint>
#include <future>

namespace tautband::store {

// What safety, needling, EMG and UI code depend on to record a decision: the
// store implements it, tests can use a fake. The future becomes ready once the
// entry is durable (after COMMIT with synchronous=FULL) and yields its sequence.
class AuditSink {
 public:
  virtual ~AuditSink() = default;
  virtual std::future<std::int64_t> append(AuditEntryDraft draft) = 0;
};

}  // namespace tautband::store
