#pragma once

#include "devices/sim/DeviceFirmware.h"
#include "devices/sim/SimSignal.h"

namespace tautband::devices::sim {

// What the simulated third-party EMG boards (Cyton, BITalino) share: their
// samples come from a SimSignal, the `ltr` stdin command and injectLtr()
// start an LTR on it, and their events go to one sink. Each board adds its
// own byte protocol.
class EmgBoardFirmware : public DeviceFirmware {
 public:
  CommandOutcome command(const QString& verb, const QString& arg, const SimTime& time,
                         FirmwareOutput& out) override;
  bool injectLtr() override;

 protected:
  EmgBoardFirmware(const SimSignal::Config& signal, EventSink events);

  // µV of one channel at a sample index; channels in order for each index.
  double signalSample(std::uint64_t index, std::uint32_t channel, double rateHz, double deviceTimeUs) {
    return signal_.sample(index, channel, rateHz, deviceTimeUs);
  }
  // An event for the simulator's stdout (none without a sink).
  void report(const QString& event, const QJsonObject& fields) const {
    if (events_) events_(event, fields);
  }

 private:
  EventSink events_;
  SimSignal signal_;
};

}  // namespace tautband::devices::sim
