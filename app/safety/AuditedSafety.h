#pragma once

#include "safety/Evaluator.h"
#include "safety/SafetyAuditSink.h"

#include <stdexcept>
#include <string>

namespace tautband::safety {

class SafetyActionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The thin, impure shell around the pure Evaluator: every evaluation, acknowledgement and
// supervisor approval is forwarded to the audit sink before the caller gets the result.
// View models call this, never the Evaluator directly.
class AuditedSafety {
 public:
  AuditedSafety(const Evaluator& evaluator, SafetyAuditSink& sink) : evaluator_(evaluator), sink_(sink) {}

  // Evaluates and records (kind Evaluation, or Refusal when the level is REFUSE).
  Decision evaluate(const Case& input);

  // Records the practitioner's acknowledgement of one ACK rule that fires for this case,
  // with their reason. Throws SafetyActionError if the rule does not currently fire at ACK
  // level or the reason is empty. Returns the decision with the ack applied.
  Decision acknowledge(const Case& input, const std::string& ruleId, const std::string& reason);

  // Records a supervisor approval of one SUPERVISOR rule. The caller has already
  // re-authenticated `supervisorUserId` (full ID + password, 21 CFR 11.200) through the store.
  // Throws if the supervisor is the practitioner, the rule is not a firing SUPERVISOR rule,
  // or the reason is empty. REFUSE and LIMIT rules can never be approved.
  Decision approve(const Case& input, const std::string& ruleId, const std::string& supervisorUserId,
                   const std::string& reason);

  // The settings every evaluation here uses (an approval's scope names the bounds it was given against).
  const ClinicSettings& settings() const { return evaluator_.settings(); }

 private:
  const Evaluator& evaluator_;
  SafetyAuditSink& sink_;
};

}  // namespace tautband::safety
