#include "devices/bluetooth/PinAgent.h"

#include "core/Logging.h"
#include "devices/bluetooth/BluezObjects.h"

#include <QBluetoothAddress>
#include <QDBusMessage>
#include <QDBusReply>
#include <QDBusVariant>

namespace tautband::devices {
namespace {

auto log() {
  return core::logger(core::subsystem::kDevices);
}

const QString kAgentManager = QStringLiteral("org.bluez.AgentManager1");
const QString kRejected = QStringLiteral("org.bluez.Error.Rejected");

}  // namespace

BluezPinAgent::BluezPinAgent(QDBusConnection bus, PinSource pins, QObject* parent)
    : QObject(parent), bus_(std::move(bus)), pins_(std::move(pins)) {}

BluezPinAgent::~BluezPinAgent() {
  unregisterFromBluez();
}

bool BluezPinAgent::registerWithBluez(QString& error) {
  if (registered_) return true;
  if (!bus_.registerObject(kObjectPath, this, QDBusConnection::ExportAllSlots)) {
    error = QStringLiteral("cannot export the pairing agent on D-Bus: %1").arg(bus_.lastError().message());
    return false;
  }
  auto call = QDBusMessage::createMethodCall(bluez::kService, QStringLiteral("/org/bluez"), kAgentManager,
                                             QStringLiteral("RegisterAgent"));
  call << QVariant::fromValue(QDBusObjectPath(kObjectPath)) << QStringLiteral("KeyboardOnly");
  const QDBusReply<void> reply = bus_.call(call, QDBus::Block, 5000);
  if (!reply.isValid()) {
    bus_.unregisterObject(kObjectPath);
    error = QStringLiteral("BlueZ refused our pairing agent: %1").arg(reply.error().message());
    return false;
  }
  auto asDefault = QDBusMessage::createMethodCall(bluez::kService, QStringLiteral("/org/bluez"),
                                                  kAgentManager, QStringLiteral("RequestDefaultAgent"));
  asDefault << QVariant::fromValue(QDBusObjectPath(kObjectPath));
  bus_.call(asDefault, QDBus::Block, 5000);
  registered_ = true;
  return true;
}

void BluezPinAgent::unregisterFromBluez() {
  if (!registered_) return;
  registered_ = false;
  auto call = QDBusMessage::createMethodCall(bluez::kService, QStringLiteral("/org/bluez"), kAgentManager,
                                             QStringLiteral("UnregisterAgent"));
  call << QVariant::fromValue(QDBusObjectPath(kObjectPath));
  bus_.call(call, QDBus::Block, 2000);
  bus_.unregisterObject(kObjectPath);
}

QString BluezPinAgent::addressOf(const QDBusObjectPath& device) const {
  auto get = QDBusMessage::createMethodCall(bluez::kService, device.path(),
                                            QStringLiteral("org.freedesktop.DBus.Properties"),
                                            QStringLiteral("Get"));
  get << bluez::kDevice1 << QStringLiteral("Address");
  const QDBusReply<QDBusVariant> reply = bus_.call(get, QDBus::Block, 2000);
  if (reply.isValid()) return reply.value().variant().toString().toUpper();
  // BlueZ names device objects dev_AA_BB_CC_DD_EE_FF.
  return device.path()
      .section(QLatin1Char('/'), -1)
      .mid(4)
      .replace(QLatin1Char('_'), QLatin1Char(':'))
      .toUpper();
}

void BluezPinAgent::reject(const QString& why) {
  log()->info("pairing agent: {}", why.toStdString());
  if (calledFromDBus()) sendErrorReply(kRejected, why);
}

void BluezPinAgent::Release() {
  registered_ = false;
}

QString BluezPinAgent::RequestPinCode(const QDBusObjectPath& device) {
  ++pinRequests_;
  const QString address = addressOf(device);
  const auto pin = pins_ ? pins_(address) : std::nullopt;
  if (!pin) {
    reject(QStringLiteral("no PIN for %1").arg(address));
    return {};
  }
  log()->info("pairing agent: PIN supplied for {}", address.toStdString());
  return *pin;
}

uint BluezPinAgent::RequestPasskey(const QDBusObjectPath& device) {
  ++pinRequests_;
  const QString address = addressOf(device);
  const auto pin = pins_ ? pins_(address) : std::nullopt;
  bool ok = false;
  const uint passkey = pin ? pin->toUInt(&ok) : 0;
  if (!ok || passkey > 999999) {
    reject(QStringLiteral("no numeric passkey for %1").arg(address));
    return 0;
  }
  return passkey;
}

void BluezPinAgent::DisplayPinCode(const QDBusObjectPath&, const QString&) {}
void BluezPinAgent::DisplayPasskey(const QDBusObjectPath&, uint, ushort) {}

void BluezPinAgent::RequestConfirmation(const QDBusObjectPath& device, uint) {
  reject(QStringLiteral("numeric comparison for %1 needs the user; refused").arg(addressOf(device)));
}

void BluezPinAgent::RequestAuthorization(const QDBusObjectPath& device) {
  reject(QStringLiteral("just-works pairing request from %1 refused").arg(addressOf(device)));
}

void BluezPinAgent::AuthorizeService(const QDBusObjectPath& device, const QString& uuid) {
  reject(QStringLiteral("service %1 for %2 not authorised").arg(uuid, addressOf(device)));
}

void BluezPinAgent::Cancel() {
  log()->info("pairing agent: BlueZ cancelled the request");
}

QString pairBluetoothDevice(QDBusConnection bus, const QString& address, int timeoutMs) {
  QString error;
  const auto objects = bluez::managedObjects(bus, error);
  if (!objects) return error;
  const QString path = bluez::devicePath(*objects, QBluetoothAddress(address));
  if (path.isEmpty()) return QStringLiteral("BlueZ does not know %1: scan for it first").arg(address);
  if (objects->value(QDBusObjectPath(path)).value(bluez::kDevice1).value(QStringLiteral("Paired")).toBool())
    return {};
  auto pair = QDBusMessage::createMethodCall(bluez::kService, path, bluez::kDevice1, QStringLiteral("Pair"));
  // BlockWithGui runs the event loop, so our agent can answer BlueZ meanwhile.
  const QDBusReply<void> reply = bus.call(pair, QDBus::BlockWithGui, timeoutMs);
  if (!reply.isValid()) return pairingFailureMessage(address, reply.error());
  return {};
}

QString pairingFailureMessage(const QString& address, const QDBusError& error) {
  const QString name = error.name();
  if (name == QLatin1String("org.bluez.Error.AuthenticationFailed"))
    return QStringLiteral("Wrong PIN for %1: the device refused the PIN. Check it and pair again.").arg(address);
  if (name == QLatin1String("org.bluez.Error.AuthenticationRejected"))
    return QStringLiteral("Pairing with %1 was refused: no PIN was given. Enter the PIN from the device's manual.")
        .arg(address);
  if (name == QLatin1String("org.bluez.Error.AuthenticationCanceled") ||
      name == QLatin1String("org.bluez.Error.AuthenticationTimeout") ||
      name == QLatin1String("org.bluez.Error.ConnectionAttemptFailed") ||
      name == QLatin1String("org.freedesktop.DBus.Error.NoReply"))
    return QStringLiteral("Pairing with %1 failed: the device did not answer. Is it switched on and in range?")
        .arg(address);
  return QStringLiteral("Pairing with %1 failed: %2").arg(address, error.message());
}

QString forgetBluetoothDevice(QDBusConnection bus, const QString& address) {
  QString error;
  const auto objects = bluez::managedObjects(bus, error);
  if (!objects) return error;
  const QString path = bluez::devicePath(*objects, QBluetoothAddress(address));
  if (path.isEmpty()) return {};
  const QString adapter = objects->value(QDBusObjectPath(path))
                              .value(bluez::kDevice1)
                              .value(QStringLiteral("Adapter"))
                              .value<QDBusObjectPath>()
                              .path();
  auto remove =
      QDBusMessage::createMethodCall(bluez::kService, adapter.isEmpty() ? path.section('/', 0, -2) : adapter,
                                     bluez::kAdapter1, QStringLiteral("RemoveDevice"));
  remove << QVariant::fromValue(QDBusObjectPath(path));
  const QDBusReply<void> reply = bus.call(remove, QDBus::Block, 5000);
  if (!reply.isValid()) return QStringLiteral("cannot forget %1: %2").arg(address, reply.error().message());
  return {};
}

}  // namespace tautband::devices
