#pragma once

#include "cli/Command.h"
#include "devices/link/DeviceLink.h"

#include <QEventLoop>
#include <QTimer>

namespace tautband::cli {

// Opens a link and runs the event loop until the device identifies itself,
// the link fails, or the deadline passes. Throws CommandError(kExitCheckFailed)
// with the link's reason when no DeviceInfo arrived.
inline devices::proto::DeviceInfo openAndIdentify(devices::DeviceLink& link, int deadlineMs) {
  QEventLoop loop;
  std::optional<devices::proto::DeviceInfo> info;
  QString reason = QStringLiteral("no DeviceInfo reply within %1 ms").arg(deadlineMs);
  QObject::connect(&link, &devices::DeviceLink::identified, &loop, [&](const devices::proto::DeviceInfo& i) {
    info = i;
    loop.quit();
  });
  QObject::connect(&link, &devices::DeviceLink::stateChanged, &loop,
                   [&](devices::LinkState state, const QString& detail) {
                     if (state == devices::LinkState::Failed) {
                       reason = detail;
                       loop.quit();
                     }
                   });
  QTimer::singleShot(deadlineMs, &loop, &QEventLoop::quit);
  link.open();
  loop.exec();
  if (!info) throw CommandError(kExitCheckFailed, QStringLiteral("%1: %2").arg(link.identity().path, reason));
  return *info;
}

}  // namespace tautband::cli
