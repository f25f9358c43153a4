#pragma once

#include "cli/Command.h"

namespace tautband::cli {

// `tautband-cli backup --db PATH --out FILE`: consistent online copy of the
// SQLite database (SQLite backup API) while the console runs; audited.
class BackupCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

}  // namespace tautband::cli
