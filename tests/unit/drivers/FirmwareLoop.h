#pragma once

// Connects a driver (through DriverHarness, i.e. its C table) to a simulated
// device firmware (devices/sim) without a pty: what one sends, the other
// receives. The firmwares are written from the vendors' documentation
// independently of the drivers, so a loop test checks both against each other.

#include "DriverHarness.h"
#include "devices/sim/DeviceFirmware.h"

#include <cmath>

class FirmwareLoop {
 public:
  FirmwareLoop(DriverHarness& driver, tautband::devices::sim::DeviceFirmware& firmware)
      : driver_(driver), firmware_(firmware) {}

  // Host -> device, then everything the device answers -> driver.
  void toDevice(const QByteArray& bytes) {
    firmware_.onBytes(std::span(reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                                static_cast<std::size_t>(bytes.size())),
                      time_, out_);
    deliver();
  }
  // Also forwards what the driver sent on its own (host.send) since last time.
  void pump() {
    if (!driver_.sent.isEmpty()) {
      const QByteArray sent = driver_.sent;
      driver_.sent.clear();
      toDevice(sent);
    }
    deliver();
  }
  // Advances both clocks in 1 ms steps, ticking firmware and driver.
  void run(std::int64_t durationUs) {
    for (std::int64_t end = time_.nowUs + durationUs; time_.nowUs < end;) {
      time_.nowUs += 1000;
      time_.deviceUs += 1000;
      firmware_.tick(time_, out_);
      deliver();
      driver_.tick(static_cast<std::uint64_t>(time_.nowUs));
      pump();
    }
  }
  tautband::devices::sim::FirmwareOutput& output() { return out_; }
  const tautband::devices::sim::SimTime& time() const { return time_; }
  void deliver() {
    for (std::size_t i = 0; i < out_.units(); ++i) {
      auto unit = out_.unit(i);
      if (corruptNext_) {
        corruptNext_ = false;
        firmware_.corrupt(unit);
      }
      driver_.feed(
          QByteArray(reinterpret_cast<const char*>(unit.data()), static_cast<qsizetype>(unit.size())));
    }
    out_.clear();
  }
  void corruptNextUnit() { corruptNext_ = true; }

 private:
  DriverHarness& driver_;
  tautband::devices::sim::DeviceFirmware& firmware_;
  tautband::devices::sim::FirmwareOutput out_;
  tautband::devices::sim::SimTime time_{1000, 1000};
  bool corruptNext_ = false;
};

inline double rms(const std::vector<float>& v, std::size_t stride, std::size_t channel) {
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t i = channel; i < v.size(); i += stride, ++n) sum += double{v[i]} * v[i];
  return n ? std::sqrt(sum / static_cast<double>(n)) : 0;
}
