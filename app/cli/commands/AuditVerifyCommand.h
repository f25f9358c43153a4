#pragma once

#include "cli/Command.h"

namespace tautband::cli {

// `tautband-cli audit verify`: checks the hash chain, checkpoints, signatures and
// the external head. Exit 0 intact, 1 tampered (first bad sequence + kind), 2 unreadable.
class AuditVerifyCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

}  // namespace tautband::cli
