#include "devices/bluetooth/BluetoothDiscovery.h"

#include "devices/bluetooth/BluezObjects.h"

#include <QDBusMessage>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTimer>

namespace tautband::devices {
namespace {

// The first driver whose manifest "match" names this device: {"bt_name":
// "^regex"} (docs/DRIVER-SDK.md); a list of such objects is accepted too.
std::optional<std::pair<QString, QString>> driverMatching(const DriverCatalog& catalog, const QString& name) {
  if (name.isEmpty()) return std::nullopt;
  for (const auto& record : catalog.records()) {
    if (!record.usable()) continue;
    const QJsonValue match = record.manifest.value(QStringLiteral("match"));
    const QJsonArray matches = match.isArray() ? match.toArray() : QJsonArray{match};
    for (const auto& entry : matches) {
      const QString pattern = entry.toObject().value(QStringLiteral("bt_name")).toString();
      if (pattern.isEmpty()) continue;
      const QRegularExpression regex(pattern);
      if (regex.isValid() && regex.match(name).hasMatch()) return std::make_pair(record.id, pattern);
    }
  }
  return std::nullopt;
}

void callAdapter(QDBusConnection& bus, const QString& adapter, const QString& method) {
  auto call = QDBusMessage::createMethodCall(bluez::kService, adapter, bluez::kAdapter1, method);
  bus.call(call, QDBus::Block, 2000);
}

}  // namespace

std::optional<QString> manifestPin(const DriverRecord& driver) {
  for (const auto& transport : driver.manifest.value(QStringLiteral("transports")).toArray()) {
    const auto object = transport.toObject();
    const QString type = object.value(QStringLiteral("type")).toString();
    if ((type == QLatin1String("rfcomm") || type == QLatin1String("ble")) &&
        object.contains(QStringLiteral("pin")))
      return object.value(QStringLiteral("pin")).toString();
  }
  return std::nullopt;
}

BluetoothAdapterState bluetoothAdapterState(const QDBusConnection& bus) {
  BluetoothAdapterState state;
  if (!bus.isConnected()) {
    state.problem = QStringLiteral("No Bluetooth: the system bus is not reachable, so BlueZ cannot be asked.");
    return state;
  }
  QString error;
  const auto objects = bluez::managedObjects(bus, error);
  if (!objects) {
    state.problem = QStringLiteral("No Bluetooth: BlueZ (the Bluetooth service) is not running (%1).").arg(error);
    return state;
  }
  for (auto it = objects->cbegin(); it != objects->cend(); ++it) {
    if (it.value().contains(bluez::kAdapter1)) {
      state.available = true;
      state.adapterPath = it.key().path();
      return state;
    }
  }
  state.problem = QStringLiteral("No Bluetooth adapter on this machine: BlueZ runs but reports none.");
  return state;
}

std::optional<DiscoveredBluetoothDevice> classifyBluetoothDevice(const DriverCatalog& catalog,
                                                                 const bluez::KnownDevice& known) {
  DiscoveredBluetoothDevice d;
  d.address = known.address.toUpper();
  d.name = known.name;
  d.paired = known.paired;
  d.connected = known.connected;
  d.rssi = known.rssi;
  const auto match = driverMatching(catalog, known.name);
  if (match) d.driverId = match->first;
  if (known.advertisesNordicUart()) {
    d.port = QStringLiteral("ble:") + d.address;
    d.why = QStringLiteral("advertises the Nordic UART Service");
    if (!match) d.driverId = QStringLiteral("tautband.native");
  } else if (match) {
    d.port = known.offersSerialPort() || known.uuids.isEmpty() ? QStringLiteral("rfcomm:") + d.address : QString();
    d.why = QStringLiteral("name matches %1 (driver %2)").arg(match->second, match->first);
  } else {
    return std::nullopt;  // neither our service nor a driver's device: a phone, a headset ...
  }
  return d;
}

BluetoothDiscoveryResult discoverBluetoothDevices(QDBusConnection bus, const DriverCatalog& catalog,
                                                  int scanMs) {
  BluetoothDiscoveryResult result;
  auto objects = bluez::managedObjects(bus, result.error);
  if (!objects) return result;
  result.available = true;
  if (scanMs > 0) {
    QStringList adapters;
    for (auto it = objects->cbegin(); it != objects->cend(); ++it)
      if (it.value().contains(bluez::kAdapter1)) adapters << it.key().path();
    for (const auto& adapter : adapters) callAdapter(bus, adapter, QStringLiteral("StartDiscovery"));
    QEventLoop loop;
    QTimer::singleShot(scanMs, &loop, &QEventLoop::quit);
    loop.exec();
    for (const auto& adapter : adapters) callAdapter(bus, adapter, QStringLiteral("StopDiscovery"));
    objects = bluez::managedObjects(bus, result.error);
    if (!objects) return result;
  }
  for (const auto& known : bluez::knownDevices(*objects))
    if (auto candidate = classifyBluetoothDevice(catalog, known)) result.devices << *candidate;
  return result;
}

}  // namespace tautband::devices
