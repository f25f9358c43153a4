#pragma once

#include "devices/bluetooth/BluezObjects.h"
#include "devices/host/DriverCatalog.h"

#include <QDBusConnection>
#include <QList>
#include <QString>

#include <optional>

namespace tautband::devices {

// A Bluetooth device the console could connect to. Discovery never
// connects: connecting is always the user's or the configuration's choice.
struct DiscoveredBluetoothDevice {
  QString address;
  QString name;
  QString port;  // "ble:ADDR" for the Nordic UART Service, "rfcomm:ADDR" for SPP, empty if neither
  bool paired = false;
  bool connected = false;
  std::optional<int> rssi;
  QString driverId;  // a driver whose manifest "match" bt_name regex fits the name, if any
  QString why;       // "advertises the Nordic UART Service", "name matches ^BITalino", ...
};

struct BluetoothDiscoveryResult {
  bool available = false;  // BlueZ answered on the system bus
  QString error;           // why not, when not available
  // Only candidates: devices advertising the Nordic UART Service or whose
  // name matches a driver's bt_name pattern.
  QList<DiscoveredBluetoothDevice> devices;
};

// Whether this machine can do Bluetooth at all, in words for the user.
struct BluetoothAdapterState {
  bool available = false;
  QString adapterPath;  // BlueZ's first adapter, e.g. /org/bluez/hci0
  QString problem;      // one sentence when not available
};
BluetoothAdapterState bluetoothAdapterState(const QDBusConnection& bus);

// A device is a candidate when it advertises the Nordic UART Service (ble:,
// native driver unless a driver's name pattern says otherwise) or its name
// matches a driver manifest's bt_name pattern (rfcomm:, that driver).
std::optional<DiscoveredBluetoothDevice> classifyBluetoothDevice(const DriverCatalog& catalog,
                                                                 const bluez::KnownDevice& known);

// Lists the devices BlueZ knows, after scanning for scanMs (0: no scan, only
// what BlueZ already knows: paired, cached or connected devices).
BluetoothDiscoveryResult discoverBluetoothDevices(QDBusConnection bus, const DriverCatalog& catalog,
                                                  int scanMs = 0);

// The PIN a driver's manifest documents for its Bluetooth transport
// ("transports": [{"type": "rfcomm", "pin": "1234"}]), if any.
std::optional<QString> manifestPin(const DriverRecord& driver);

}  // namespace tautband::devices
