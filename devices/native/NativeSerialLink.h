#pragma once

#include "devices/link/DeviceLink.h"
#include "devices/link/SerialTransport.h"
#include "devices/native/NativeCodec.h"

#include <memory>

namespace tautband::devices {

// A link to a device that speaks the native protocol over a serial port or pty.
inline std::unique_ptr<DeviceLink> makeNativeSerialLink(const QString& name, const QString& path, qint32 baud,
                                                        LinkOptions options = {}) {
  return std::make_unique<DeviceLink>(
      name, PortIdentity::forPath(path),
      [baud](const QString& currentPath) {
        return std::make_unique<SerialTransport>(SerialSettings{currentPath, baud});
      },
      [] { return std::make_unique<NativeCodec>(); }, options);
}

}  // namespace tautband::devices
