#pragma once

#include "cli/Command.h"

namespace tautband::cli {

// `devices pair --port ble:ADDR|rfcomm:ADDR [--pin 1234]`: pairs through our
// BlueZ agent (the PIN typed, else the one the device's driver documents).
class DevicesPairCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

// `devices forget --port ble:ADDR|rfcomm:ADDR`: removes the pairing and BlueZ's record.
class DevicesForgetCommand final : public Command {
 public:
  CommandSpec spec() const override;
  int run(const QCommandLineParser& args, CommandContext& context) override;
};

}  // namespace tautband::cli
