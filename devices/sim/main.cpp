#include "devices/sim/SimulatorMain.h"

int main(int argc, char** argv) {
  return tautband::devices::sim::runSimulator(argc, argv);
}
