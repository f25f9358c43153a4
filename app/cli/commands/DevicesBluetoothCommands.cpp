#include "cli/commands/DevicesBluetoothCommands.h"

#include "cli/commands/DriverSupport.h"
#include "devices/bluetooth/BluetoothDiscovery.h"
#include "devices/bluetooth/BluetoothPort.h"
#include "devices/bluetooth/BluezObjects.h"
#include "devices/bluetooth/PinAgent.h"

#include <QJsonObject>

namespace tautband::cli {
namespace {

const QCommandLineOption kBluetoothPortOption(QStringLiteral("port"),
                                              QStringLiteral("ble:AA:BB:CC:DD:EE:FF or rfcomm:AA:BB:CC:DD:EE:FF."),
                                              QStringLiteral("port"));
const QCommandLineOption kPinOption(QStringLiteral("pin"),
                                    QStringLiteral("The device's PIN (default: the one its driver's manifest "
                                                   "documents, if any)."),
                                    QStringLiteral("pin"));
const QCommandLineOption kPairDriverOption(QStringLiteral("driver"),
                                           QStringLiteral("Driver whose documented PIN to use (default: the "
                                                          "driver whose name pattern matches the device)."),
                                           QStringLiteral("id"));

// A known device on a working adapter, or a CommandError that says why not:
// exit 2 for a port or device the command cannot use, 1 when the machine has
// no Bluetooth to do it with.
struct KnownBluetoothDevice {
  devices::BluetoothPort port;
  devices::bluez::KnownDevice device;
};

KnownBluetoothDevice requireKnownDevice(const QCommandLineParser& args, const QString& verb) {
  const QString text = args.value(kBluetoothPortOption);
  if (text.isEmpty()) throw CommandError(kExitUsage, QStringLiteral("--port is required"));
  if (!devices::isBluetoothPort(text))
    throw CommandError(kExitUsage, QStringLiteral("devices %1 needs a Bluetooth port (ble:ADDR or rfcomm:ADDR), not %2")
                                       .arg(verb, text));
  QString error;
  const auto port = devices::parseBluetoothPort(text, error);
  if (!port) throw CommandError(kExitUsage, error);
  auto bus = QDBusConnection::systemBus();
  const auto adapter = devices::bluetoothAdapterState(bus);
  if (!adapter.available) throw CommandError(kExitCheckFailed, adapter.problem);
  const auto objects = devices::bluez::managedObjects(bus, error);
  if (!objects) throw CommandError(kExitCheckFailed, error);
  const QString address = port->address.toString().toUpper();
  for (const auto& known : devices::bluez::knownDevices(*objects))
    if (known.address == address) return {*port, known};
  throw CommandError(kExitUsage, QStringLiteral("unknown device %1: BlueZ does not know it. Switch it on and scan "
                                                "first (tautband-cli devices list --scan 10)")
                                     .arg(address));
}

}  // namespace

// ------------------------------------------------------------ devices pair

CommandSpec DevicesPairCommand::spec() const {
  return {{QStringLiteral("devices"), QStringLiteral("pair")},
          QStringLiteral("Pair with a Bluetooth device, answering its PIN request."),
          QStringLiteral("Registers the console's BlueZ agent while it pairs and answers the device's PIN request "
                         "with --pin, else with the PIN its driver's manifest documents (BITalino: 1234). Exit 0 "
                         "when paired (or already paired), 1 when pairing failed (wrong PIN, no answer) or the "
                         "machine has no Bluetooth adapter, 2 for a bad port or a device BlueZ does not know."),
          {kBluetoothPortOption, kPinOption, kPairDriverOption, kPluginDirOption},
          {}};
}

int DevicesPairCommand::run(const QCommandLineParser& args, CommandContext& context) {
  const QString typed = args.value(kPinOption).trimmed();
  if (args.isSet(kPinOption) && (typed.isEmpty() || typed.size() > 16))
    throw CommandError(kExitUsage, QStringLiteral("--pin needs 1 to 16 characters"));
  const auto target = requireKnownDevice(args, QStringLiteral("pair"));
  const QString address = target.device.address;
  const QString port = target.port.toString();
  if (target.device.paired) {
    context.print(QJsonObject{{"address", address}, {"port", port}, {"paired", true}, {"already_paired", true}},
                  QStringLiteral("%1 (%2) is already paired.\n").arg(target.device.name, address));
    return kExitOk;
  }

  // The PIN: typed, else the documented one of the chosen or matching driver.
  std::optional<QString> pin;
  QString pinSource = QStringLiteral("none");
  if (!typed.isEmpty()) {
    pin = typed;
    pinSource = QStringLiteral("--pin");
  } else {
    devices::DriverCatalog catalog;
    loadDrivers(catalog, args, context);
    QString driverId = args.value(kPairDriverOption);
    if (driverId.isEmpty()) {
      if (const auto candidate = devices::classifyBluetoothDevice(catalog, target.device)) driverId = candidate->driverId;
    }
    if (const auto* driver = catalog.find(driverId)) {
      pin = devices::manifestPin(*driver);
      if (pin) pinSource = QStringLiteral("driver %1").arg(driverId);
    } else if (args.isSet(kPairDriverOption)) {
      throw CommandError(kExitUsage, QStringLiteral("no usable driver with id %1 (see 'tautband-cli devices list')")
                                         .arg(driverId));
    }
  }

  auto bus = QDBusConnection::systemBus();
  devices::BluezPinAgent agent(bus, [&](const QString& asking) -> std::optional<QString> {
    if (asking.compare(address, Qt::CaseInsensitive) != 0) return std::nullopt;  // only the device we pair
    return pin;
  });
  QString error;
  if (!agent.registerWithBluez(error)) throw CommandError(kExitCheckFailed, error);
  error = devices::pairBluetoothDevice(bus, address);
  agent.unregisterFromBluez();
  if (!error.isEmpty()) {
    if (!pin && agent.pinRequests() > 0)
      error += QStringLiteral(" (no PIN: give one with --pin)");
    throw CommandError(kExitCheckFailed, error);
  }
  context.print(QJsonObject{{"address", address}, {"port", port}, {"paired", true}, {"pin_source", pinSource},
                            {"pin_requests", agent.pinRequests()}},
                QStringLiteral("Paired with %1 (%2)%3. Connect with --port %4.\n")
                    .arg(target.device.name, address,
                         agent.pinRequests() > 0 ? QStringLiteral(", PIN from %1").arg(pinSource) : QString(), port));
  return kExitOk;
}

// ---------------------------------------------------------- devices forget

CommandSpec DevicesForgetCommand::spec() const {
  return {{QStringLiteral("devices"), QStringLiteral("forget")},
          QStringLiteral("Remove a Bluetooth device's pairing and BlueZ's record of it."),
          QStringLiteral("BlueZ's Adapter1.RemoveDevice: the device disconnects and must be scanned and paired "
                         "again. Exit 1 when BlueZ refuses or there is no adapter, 2 for a bad port or a device "
                         "BlueZ does not know."),
          {kBluetoothPortOption, kPluginDirOption},  // --plugin-dir accepted like every devices command
          {}};
}

int DevicesForgetCommand::run(const QCommandLineParser& args, CommandContext& context) {
  const auto target = requireKnownDevice(args, QStringLiteral("forget"));
  const QString error = devices::forgetBluetoothDevice(QDBusConnection::systemBus(), target.device.address);
  if (!error.isEmpty()) throw CommandError(kExitCheckFailed, error);
  context.print(QJsonObject{{"address", target.device.address}, {"port", target.port.toString()}, {"forgotten", true}},
                QStringLiteral("Forgot %1 (%2): its pairing is removed; scan and pair to use it again.\n")
                    .arg(target.device.name, target.device.address));
  return kExitOk;
}

}  // namespace tautband::cli
