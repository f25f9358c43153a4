#pragma once

#include "cli/Command.h"

namespace tautband::cli {

// `tautband-cli restore --db PATH --from FILE`: verifies the backup's audit
// trail, replaces the database with it, and records the restore (including the
// head that was rolled back) in the restored audit trail.
class RestoreCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

}  // namespace tautband::cli
