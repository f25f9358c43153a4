#include "devices/sim/EmgBoardFirmware.h"

namespace tautband::devices::sim {

EmgBoardFirmware::EmgBoardFirmware(const SimSignal::Config& signal, EventSink events)
    : events_(events), signal_(signal, std::move(events)) {}

CommandOutcome EmgBoardFirmware::command(const QString& verb, const QString&, const SimTime&, FirmwareOutput&) {
  if (verb == QLatin1String("ltr")) {
    signal_.injectLtr();
    return {CommandOutcome::Done, {}};
  }
  return {};
}

bool EmgBoardFirmware::injectLtr() {
  signal_.injectLtr();
  return true;
}

}  // namespace tautband::devices::sim
