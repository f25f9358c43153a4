#pragma once

#include "safety/Case.h"
#include "safety/DepthModel.h"
#include "safety/Level.h"

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tautband::safety {

// Parameters of one rule's predicate, as written in rules.json.
struct RuleParams {
  std::map<std::string, std::vector<std::string>, std::less<>> strings;  // "x" or ["x", "y"]
  std::map<std::string, double, std::less<>> numbers;                    // numbers and booleans

  const std::vector<std::string>& list(std::string_view key) const;
  const std::string& text(std::string_view key) const;  // first string
  double number(std::string_view key, double fallback = 0.0) const;
};

// One row of the traceability table: a condition (named C++ predicate + parameters), what
// it does (level), what the therapist reads, where the fact comes from, the hazard it controls.
struct Rule {
  std::string id;
  std::vector<ActKind> appliesTo;
  std::string predicate;
  RuleParams params;
  Level level = Level::Refuse;
  std::string message;
  std::string source;
  std::string hazardId;
};

// ISO 14971-style hazard row.
struct Hazard {
  std::string id;
  std::string hazardousSituation;
  std::string harm;
  std::string severity;  // "catastrophic", "critical", "serious", "minor"
};

class RuleTableError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The versioned rule table (app/safety/data/rules.json), validated on load: every predicate
// exists and gets the parameters it needs, every hazard is listed, ids are unique.
class RuleTable {
 public:
  static constexpr int kFormatVersion = 1;

  static RuleTable fromJson(std::string_view jsonText);
  static RuleTable fromFile(const std::string& path);
  static const RuleTable& builtin();

  const std::string& rulesVersion() const { return rulesVersion_; }
  const std::vector<Rule>& rules() const { return rules_; }
  const std::vector<Hazard>& hazards() const { return hazards_; }
  const std::vector<DepthModel>& depthModels() const { return depthModels_; }
  const Rule* rule(std::string_view id) const;
  const Hazard* hazard(std::string_view id) const;
  const DepthModel* depthModelForZone(std::string_view zoneId) const;

 private:
  std::string rulesVersion_;
  std::vector<Rule> rules_;
  std::vector<Hazard> hazards_;
  std::vector<DepthModel> depthModels_;
};

std::string_view toString(ActKind kind);
std::optional<ActKind> actKindFromString(std::string_view text);

}  // namespace tautband::safety
