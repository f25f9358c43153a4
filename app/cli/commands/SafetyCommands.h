#pragma once

#include "cli/Command.h"

namespace tautband::cli {

// `tautband-cli safety rules [--json]`: the traceability table an auditor asks for
// (id, level, hazard, source, predicate) with the rule-table, atlas and settings versions.
class SafetyRulesCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

// `tautband-cli safety evaluate --case FILE.json [--settings FILE.json] [--json]`: evaluates
// one documented case (docs/SAFETY.md) with the shipped rules and atlas. Exit 0 whenever it
// evaluated (a REFUSE is a result), 2 when the case or settings file is malformed.
class SafetyEvaluateCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

}  // namespace tautband::cli
