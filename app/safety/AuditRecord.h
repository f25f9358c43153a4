#pragma once

#include "safety/Case.h"
#include "safety/Level.h"

#include <QJsonObject>

#include <string>
#include <vector>

namespace tautband::safety {

// One safety event for the audit trail (the store's hash chain). Everything needed to
// replay the decision: the inputs, the versions of atlas, rules and settings, the outcome.
struct SafetyAuditRecord {
  enum class Kind { Evaluation, Refusal, Acknowledgement, SupervisorApproval };
  Kind kind = Kind::Evaluation;
  std::string userId;              // who asked (the practitioner)
  std::string secondUserId;        // supervisor for approvals
  TimePoint at{};                  // the case's evaluation time
  QJsonObject inputs;              // caseToJson(case)
  Level level = Level::Allow;
  std::vector<std::string> ruleIds;
  std::string reason;              // decision message, or the person's stated reason
  std::string atlasVersion;
  std::string rulesVersion;
  std::string settingsVersion;

  QJsonObject toJson() const;
};

std::string_view toString(SafetyAuditRecord::Kind kind);

}  // namespace tautband::safety
