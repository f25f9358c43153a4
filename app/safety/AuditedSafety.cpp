#include "safety/AuditedSafety.h"

#include <algorithm>
#include <cctype>

namespace tautband::safety {
namespace {

const FiredRule* firedRule(const Decision& d, const std::string& ruleId) {
  for (const auto& f : d.fired)
    if (f.ruleId == ruleId) return &f;
  return nullptr;
}

bool blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); });
}

}  // namespace

Decision AuditedSafety::evaluate(const Case& input) {
  Evaluation e = evaluator_.evaluate(input);
  sink_.record(e.audit);
  return e.decision;
}

Decision AuditedSafety::acknowledge(const Case& input, const std::string& ruleId, const std::string& reason) {
  const Evaluation before = evaluator_.evaluate(input);
  const FiredRule* rule = firedRule(before.decision, ruleId);
  if (!rule || rule->level != Level::Ack) throw SafetyActionError(ruleId + " is not an acknowledgeable warning for this case");
  if (blank(reason)) throw SafetyActionError("an acknowledgement needs a reason");
  SafetyAuditRecord entry = before.audit;
  entry.kind = SafetyAuditRecord::Kind::Acknowledgement;
  entry.ruleIds = {ruleId};
  entry.reason = reason;
  sink_.record(entry);
  Case acknowledged = input;
  if (std::find(acknowledged.acknowledged.begin(), acknowledged.acknowledged.end(), ruleId) == acknowledged.acknowledged.end())
    acknowledged.acknowledged.push_back(ruleId);
  return evaluator_.decide(acknowledged);
}

Decision AuditedSafety::approve(const Case& input, const std::string& ruleId, const std::string& supervisorUserId,
                                const std::string& reason) {
  const Evaluation before = evaluator_.evaluate(input);
  const FiredRule* rule = firedRule(before.decision, ruleId);
  if (!rule || rule->level != Level::Supervisor)
    throw SafetyActionError(ruleId + " is not a supervisor-approvable rule for this case");
  if (supervisorUserId.empty() || supervisorUserId == input.practitioner.userId)
    throw SafetyActionError("the approval must come from a second authorised person");
  if (blank(reason)) throw SafetyActionError("an approval needs a reason");
  SafetyAuditRecord entry = before.audit;
  entry.kind = SafetyAuditRecord::Kind::SupervisorApproval;
  entry.secondUserId = supervisorUserId;
  entry.ruleIds = {ruleId};
  entry.reason = reason;
  sink_.record(entry);
  Case approved = input;
  if (std::find(approved.supervisorApproved.begin(), approved.supervisorApproved.end(), ruleId) ==
      approved.supervisorApproved.end())
    approved.supervisorApproved.push_back(ruleId);
  return evaluator_.decide(approved);
}

}  // namespace tautband::safety
