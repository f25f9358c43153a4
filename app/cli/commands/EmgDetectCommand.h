#pragma once

#include "cli/Command.h"

namespace tautband::cli {

// `emg detect`: runs the live LTR pipeline offline over a WFDB or CSV recording.
class EmgDetectCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

}  // namespace tautband::cli
