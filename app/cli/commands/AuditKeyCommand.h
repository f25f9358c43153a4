#pragma once

#include "cli/Command.h"

namespace tautband::cli {

// `tautband-cli audit key`: prints this console's id and Ed25519 public key (hex)
// for an auditor, creating the key pair on first use.
class AuditKeyCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

}  // namespace tautband::cli
