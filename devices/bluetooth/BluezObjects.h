#pragma once

#include <QBluetoothAddress>
#include <QDBusConnection>
#include <QDBusObjectPath>
#include <QMap>
#include <QStringList>
#include <QVariantMap>

#include <optional>

namespace tautband::devices::bluez {

// BlueZ's object tree (org.freedesktop.DBus.ObjectManager.GetManagedObjects).
using InterfaceMap = QMap<QString, QVariantMap>;
using ObjectMap = QMap<QDBusObjectPath, InterfaceMap>;

inline const QString kService = QStringLiteral("org.bluez");
inline const QString kDevice1 = QStringLiteral("org.bluez.Device1");
inline const QString kAdapter1 = QStringLiteral("org.bluez.Adapter1");
inline const QString kGattService1 = QStringLiteral("org.bluez.GattService1");
inline const QString kGattCharacteristic1 = QStringLiteral("org.bluez.GattCharacteristic1");
inline const QString kSerialPortUuid = QStringLiteral("00001101-0000-1000-8000-00805f9b34fb");

// Reads the whole tree in one blocking call (bounded by timeoutMs).
std::optional<ObjectMap> managedObjects(const QDBusConnection& bus, QString& error, int timeoutMs = 2000);

// The Device1 object for an address, or empty.
QString devicePath(const ObjectMap& objects, const QBluetoothAddress& address);

// The characteristic with this UUID inside the given service of the device
// (what QLowEnergyController does not expose: its D-Bus path, flags, MTU).
struct GattCharacteristic {
  QString path;
  QStringList flags;
  int mtu = -1;  // GattCharacteristic1.MTU (BlueZ >= 5.62); -1 when BlueZ does not say
};
std::optional<GattCharacteristic> findCharacteristic(const ObjectMap& objects, const QString& devicePath,
                                                     const QString& serviceUuid,
                                                     const QString& characteristicUuid);

// One device BlueZ knows (discovered, paired or connected).
struct KnownDevice {
  QString address;
  QString name;
  QString path;
  bool paired = false;
  bool connected = false;
  std::optional<int> rssi;
  QStringList uuids;  // lower case
  bool advertisesNordicUart() const;
  bool offersSerialPort() const;
};
QList<KnownDevice> knownDevices(const ObjectMap& objects);

void registerMetaTypes();

}  // namespace tautband::devices::bluez

Q_DECLARE_METATYPE(tautband::devices::bluez::InterfaceMap)
Q_DECLARE_METATYPE(tautband::devices::bluez::ObjectMap)
