#include "devices/bluetooth/LinkFailure.h"

#include "core/Logging.h"
#include "devices/bluetooth/BluezObjects.h"

#include <QDBusConnection>

namespace tautband::devices {

bool LinkFailure::first(const char* kind, const QBluetoothAddress& address, const QString& reason,
                        bool connectionExists) {
  if (closing_ || !connectionExists) return false;
  core::logger(core::subsystem::kDevices)
      ->warn("{} link {}: {}", kind, address.toString().toStdString(), reason.toStdString());
  last_ = reason;
  return true;
}

QString findBluezDevice(const QBluetoothAddress& address, const QString& hint, QString& error) {
  QString dbusError;
  const auto objects = bluez::managedObjects(QDBusConnection::systemBus(), dbusError);
  if (!objects) {
    error = dbusError;
    return {};
  }
  const QString path = bluez::devicePath(*objects, address);
  if (path.isEmpty()) error = QStringLiteral("BlueZ does not know %1: %2").arg(address.toString(), hint);
  return path;
}

}  // namespace tautband::devices
