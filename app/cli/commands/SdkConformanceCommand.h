#pragma once

#include "cli/Command.h"

namespace tautband::cli {

// `sdk conformance --plugin FILE (--port PATH | --sim KIND)`: the vendor's
// pass/fail table before shipping a driver.
class SdkConformanceCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

}  // namespace tautband::cli
