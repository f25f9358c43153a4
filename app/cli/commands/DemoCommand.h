#pragma once

#include "cli/Command.h"

namespace tautband::cli {

// `tautband-cli demo --db PATH [--minutes N] [--seed S]`: builds a realistic
// demo clinic through the store's public API (the same calls the console
// makes) and prints the demo logins.
class DemoCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

}  // namespace tautband::cli
