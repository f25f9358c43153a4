#include "safety/Level.h"

namespace tautband::safety {

std::string_view toString(Level level) {
  switch (level) {
    case Level::Allow: return "ALLOW";
    case Level::Ack: return "ACK";
    case Level::Supervisor: return "SUPERVISOR";
    case Level::Limit: return "LIMIT";
    case Level::Refuse: return "REFUSE";
  }
  return "REFUSE";
}

std::optional<Level> levelFromString(std::string_view text) {
  for (Level level : {Level::Allow, Level::Ack, Level::Supervisor, Level::Limit, Level::Refuse})
    if (toString(level) == text) return level;
  return std::nullopt;
}

}  // namespace tautband::safety
