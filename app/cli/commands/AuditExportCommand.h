#pragma once

#include "cli/Command.h"

namespace tautband::cli {

// `tautband-cli audit export --format csv|json [--from --to --user --out]`.
class AuditExportCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

}  // namespace tautband::cli
