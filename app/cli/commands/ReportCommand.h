#pragma once

#include "cli/Command.h"

namespace tautband::cli {

// `tautband-cli report --db PATH --session ID|latest --format pdf|handout|json|fhir|edf|csv|audit
//  --out FILE [--paper a4|letter] [--force] [--emg FILE [--emg-start S]]` (docs/EXPORT.md).
class ReportCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

}  // namespace tautband::cli
