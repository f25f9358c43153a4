#pragma once

// Small helpers shared by the link tests: wait for a link state, and drive
// a laser into emission the way a console would (power, arm, emit).

#include "devices/link/DeviceLink.h"

#include <QElapsedTimer>
#include <QTest>

namespace tautband::devices::test {

inline bool waitForState(DeviceLink& link, LinkState state, int timeoutMs) {
  QElapsedTimer timer;
  timer.start();
  while (timer.elapsed() < timeoutMs) {
    if (link.health().state == state) return true;
    QTest::qWait(5);
  }
  return false;
}

inline void sendLaser(DeviceLink& link, std::uint32_t requestId, auto&& fill) {
  proto::Envelope e;
  e.mutable_laser_command()->set_request_id(requestId);
  fill(*e.mutable_laser_command());
  link.send(e);
}

inline void startEmission(DeviceLink& link, std::uint32_t powerMw) {
  sendLaser(link, 1, [&](auto& c) { c.mutable_set_power()->set_power_mw(powerMw); });
  sendLaser(link, 2, [](auto& c) { c.mutable_arm()->set_armed(true); });
  sendLaser(link, 3, [](auto& c) { c.mutable_emit_on(); });
}

}  // namespace tautband::devices::test
