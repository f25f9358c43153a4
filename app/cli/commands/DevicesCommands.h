#pragma once

#include "cli/Command.h"

namespace tautband::cli {

// `devices list`: serial ports (never opened) and drivers.
class DevicesListCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

// `devices probe --port PATH [--baud N]`: Hello, then print DeviceInfo.
class DevicesProbeCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

// `emg record --port PATH --seconds N --out FILE.csv`: record a stream to CSV in µV.
class EmgRecordCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

}  // namespace tautband::cli
