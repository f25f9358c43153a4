#include "devices/bluetooth/BluezObjects.h"

#include "devices/bluetooth/NordicUart.h"

#include <QDBusArgument>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusReply>

namespace tautband::devices::bluez {

void registerMetaTypes() {
  static const bool done = [] {
    qDBusRegisterMetaType<InterfaceMap>();
    qDBusRegisterMetaType<ObjectMap>();
    return true;
  }();
  (void)done;
}

std::optional<ObjectMap> managedObjects(const QDBusConnection& bus, QString& error, int timeoutMs) {
  registerMetaTypes();
  if (!bus.isConnected()) {
    error = QStringLiteral("the system D-Bus is not reachable (%1)").arg(bus.lastError().message());
    return std::nullopt;
  }
  auto call = QDBusMessage::createMethodCall(kService, QStringLiteral("/"),
                                             QStringLiteral("org.freedesktop.DBus.ObjectManager"),
                                             QStringLiteral("GetManagedObjects"));
  const QDBusReply<ObjectMap> reply = bus.call(call, QDBus::Block, timeoutMs);
  if (!reply.isValid()) {
    error = QStringLiteral("BlueZ (org.bluez) does not answer on the system bus: %1")
                .arg(reply.error().message());
    return std::nullopt;
  }
  return reply.value();
}

QString devicePath(const ObjectMap& objects, const QBluetoothAddress& address) {
  for (auto it = objects.cbegin(); it != objects.cend(); ++it) {
    const auto device = it.value().find(kDevice1);
    if (device == it.value().cend()) continue;
    if (QBluetoothAddress(device->value(QStringLiteral("Address")).toString()) == address)
      return it.key().path();
  }
  return {};
}

std::optional<GattCharacteristic> findCharacteristic(const ObjectMap& objects, const QString& devicePath,
                                                     const QString& serviceUuid,
                                                     const QString& characteristicUuid) {
  QString servicePath;
  for (auto it = objects.cbegin(); it != objects.cend(); ++it) {
    if (!it.key().path().startsWith(devicePath + QLatin1Char('/'))) continue;
    const auto service = it.value().find(kGattService1);
    if (service == it.value().cend()) continue;
    if (service->value(QStringLiteral("UUID")).toString().compare(serviceUuid, Qt::CaseInsensitive) == 0) {
      servicePath = it.key().path();
      break;
    }
  }
  if (servicePath.isEmpty()) return std::nullopt;
  for (auto it = objects.cbegin(); it != objects.cend(); ++it) {
    if (!it.key().path().startsWith(servicePath + QLatin1Char('/'))) continue;
    const auto characteristic = it.value().find(kGattCharacteristic1);
    if (characteristic == it.value().cend()) continue;
    if (characteristic->value(QStringLiteral("UUID"))
            .toString()
            .compare(characteristicUuid, Qt::CaseInsensitive) != 0)
      continue;
    GattCharacteristic result;
    result.path = it.key().path();
    result.flags = characteristic->value(QStringLiteral("Flags")).toStringList();
    bool ok = false;
    const int mtu = characteristic->value(QStringLiteral("MTU")).toInt(&ok);
    if (ok && mtu > nus::kAttHeader) result.mtu = mtu;
    return result;
  }
  return std::nullopt;
}

bool KnownDevice::advertisesNordicUart() const {
  return uuids.contains(nus::service().toString(QUuid::WithoutBraces).toLower());
}

bool KnownDevice::offersSerialPort() const {
  return uuids.contains(kSerialPortUuid);
}

QList<KnownDevice> knownDevices(const ObjectMap& objects) {
  QList<KnownDevice> devices;
  for (auto it = objects.cbegin(); it != objects.cend(); ++it) {
    const auto device = it.value().find(kDevice1);
    if (device == it.value().cend()) continue;
    KnownDevice d;
    d.path = it.key().path();
    d.address = device->value(QStringLiteral("Address")).toString().toUpper();
    d.name = device->value(QStringLiteral("Alias")).toString();
    if (d.name.isEmpty()) d.name = device->value(QStringLiteral("Name")).toString();
    d.paired = device->value(QStringLiteral("Paired")).toBool();
    d.connected = device->value(QStringLiteral("Connected")).toBool();
    if (device->contains(QStringLiteral("RSSI"))) d.rssi = device->value(QStringLiteral("RSSI")).toInt();
    for (const QString& uuid : device->value(QStringLiteral("UUIDs")).toStringList())
      d.uuids << uuid.toLower();
    devices << d;
  }
  return devices;
}

}  // namespace tautband::devices::bluez
