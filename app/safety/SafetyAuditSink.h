#pragma once

#include "safety/AuditRecord.h"

namespace tautband::safety {

// Where safety events go. The store implements it over the audit hash chain; tests use a
// vector. record() must be durable before it returns, or throw: a safety decision whose
// audit entry failed must not be acted on (AuditedSafety lets the exception through).
class SafetyAuditSink {
 public:
  virtual ~SafetyAuditSink() = default;
  virtual void record(const SafetyAuditRecord& entry) = 0;
};

}  // namespace tautband::safety
