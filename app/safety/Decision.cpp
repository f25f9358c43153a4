#include "safety/Decision.h"

namespace tautband::safety {

bool Decision::mayProceed() const {
  return level != Level::Refuse && level != Level::Limit && acksRequired.empty() && supervisorRequired.empty();
}

std::vector<std::string> Decision::ruleIds() const {
  std::vector<std::string> ids;
  ids.reserve(fired.size());
  for (const auto& rule : fired) ids.push_back(rule.ruleId);
  return ids;
}

}  // namespace tautband::safety
