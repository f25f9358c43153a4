#pragma once

namespace tautband::devices::sim {

// tautband-sim KIND [--json] [options]: one simulated device on a pty.
int runSimulator(int argc, char** argv);

}  // namespace tautband::devices::sim
