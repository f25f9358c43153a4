#pragma once

#include "safety/Level.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tautband::safety {

struct FiredRule {
  std::string ruleId;
  Level level = Level::Refuse;
  std::string message;   // the rule's message plus what was found ("needle 40 mm > limit 24.9 mm")
  std::string hazardId;
};

// The outcome of one evaluation. `limits` are computed bounds and figures, keyed with their
// unit (e.g. "max_needle_length_mm", "max_time_s", "energy_j", "current_density_rms_ma_per_cm2"),
// present whether or not a rule fired so the screen can show them.
struct Decision {
  Level level = Level::Allow;
  std::vector<FiredRule> fired;                 // strongest first, then by rule id
  std::vector<std::string> acksRequired;        // ACK rules fired and not yet acknowledged
  std::vector<std::string> supervisorRequired;  // SUPERVISOR rules fired and not yet approved
  std::map<std::string, double> limits;
  std::string message;                          // one line per fired rule, for the therapist
  // Facts the caller must record for later evaluations:
  bool lungFieldInsertion = false;   // counts for the bilateral 24 h rule (store it in history)
  bool thoracicNeedling = false;     // session now needs pneumothorax advice + observation

  // True when the act may go ahead exactly as requested: nothing at REFUSE or LIMIT, and every
  // ACK acknowledged and every SUPERVISOR approval given.
  bool mayProceed() const;
  std::vector<std::string> ruleIds() const;
};

}  // namespace tautband::safety
