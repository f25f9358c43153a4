#pragma once

#include <optional>
#include <string_view>

namespace tautband::safety {

// What a fired rule does to the act (docs/SAFETY.md "Levels"). Ordered by how strongly it
// holds the act back: a decision's level is the strongest of its fired rules.
//   Allow      no rule fired
//   Ack        the therapist acknowledges with a reason (audited)
//   Supervisor a second authorised person re-authenticates and approves (audited)
//   Limit      the act proceeds only inside the computed bound; as requested it is outside
//   Refuse     hard interlock; no override. Only recorded evidence (data) removes the condition.
enum class Level { Allow = 0, Ack = 1, Supervisor = 2, Limit = 3, Refuse = 4 };

std::string_view toString(Level level);  // "ALLOW", "ACK", "SUPERVISOR", "LIMIT", "REFUSE"
std::optional<Level> levelFromString(std::string_view text);

}  // namespace tautband::safety
