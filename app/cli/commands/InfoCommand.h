#pragma once

#include "cli/Command.h"

namespace tautband::cli {

// `tautband-cli info`: version, data directory, log file and Qt version, so a
// vendor or manager can tell which build and which data they are looking at.
class InfoCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

}  // namespace tautband::cli
