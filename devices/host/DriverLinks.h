#pragma once

#include "devices/host/DriverCatalog.h"
#include "devices/link/DeviceLink.h"

#include <memory>

namespace tautband::devices {

// A link whose codec is a driver plugin, over a serial port or pty. baud 0
// means the driver's manifest default. Throws std::runtime_error when the
// driver cannot be instantiated.
std::unique_ptr<DeviceLink> makeDriverSerialLink(const QString& name, const QString& path, const DriverRecord& driver,
                                                 qint32 baud = 0, const std::string& settingsJson = "{}",
                                                 LinkOptions options = {});

inline const QString kNativeDriverId = QStringLiteral("tautband.native");

}  // namespace tautband::devices
