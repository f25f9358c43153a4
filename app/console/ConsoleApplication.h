#pragma once

namespace tautband::console {

// Composition root of the QML console: parses the command line, checks for a
// display, creates the view models and the QML engine, and runs the event loop.
int runConsoleApplication(int argc, char** argv);

}  // namespace tautband::console
