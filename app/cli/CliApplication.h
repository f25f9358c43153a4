#pragma once

#include "cli/Dispatcher.h"

namespace tautband::cli {

// Composition root of tautband-cli: every subcommand is registered here.
void registerCommands(Dispatcher& dispatcher);

// Runs tautband-cli with the process arguments; returns the exit code.
int runCliApplication(int argc, char** argv);

}  // namespace tautband::cli
