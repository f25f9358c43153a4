#pragma once

#include "safety/Facts.h"
#include "safety/RuleTable.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tautband::safety {

// A named condition. Returns nullopt when the rule does not fire, else what was found
// (appended to the rule's message). Pure: reads Facts and the rule's params only.
using PredicateFn = std::function<std::optional<std::string>(const Facts&, const RuleParams&)>;

struct PredicateSpec {
  std::string_view name;
  std::string_view description;   // for docs and `safety rules`
  // Checks the parameters when the table loads; returns an error text or empty.
  std::function<std::string(const RuleParams&)> checkParams;
  PredicateFn fn;
};

const std::vector<PredicateSpec>& predicateRegistry();
const PredicateSpec* findPredicate(std::string_view name);

// Screening booleans and site conditions by the names used in JSON (and rule params).
std::optional<bool> screeningFlag(const Screening& screening, std::string_view name);
std::optional<bool> siteCondition(const SiteConditions& conditions, std::string_view name);

}  // namespace tautband::safety
