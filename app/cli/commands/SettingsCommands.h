#pragma once

#include "cli/Command.h"
#include "cli/Dispatcher.h"

namespace tautband::cli {

// `tautband-cli settings show --db PATH [--json]`: the effective clinic settings (the shipped
// defaults with the clinic's stored ones laid over them), with the WALT outer bounds.
class SettingsShowCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

// `tautband-cli settings set --db PATH --user LOGIN --file settings.json`: a manager or admin
// replaces the clinic's settings. Validated first (a value that loosens a sourced bound is
// refused, exit 2, naming it), audited with the old and new value ("setting.changed").
class SettingsSetCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

// `tautband-cli settings presets show --db PATH [--json]`: the laser presets per muscle.
class SettingsPresetsShowCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

// `tautband-cli settings presets set --db PATH --user LOGIN --file presets.json`: validated
// against the effective dose tables' WALT bounds and the atlas, then stored and audited.
class SettingsPresetsSetCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

// Adds the four `settings` commands (one line in registerCommands()).
void registerSettingsCommands(Dispatcher& dispatcher);

}  // namespace tautband::cli
