#pragma once

#include "cli/Command.h"

namespace tautband::cli {

// `tautband-cli sessions --db PATH [--json]`: every session with its id, newest first.
class SessionsCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

}  // namespace tautband::cli
