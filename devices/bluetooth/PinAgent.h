#pragma once

#include <QDBusConnection>
#include <QDBusContext>
#include <QDBusError>
#include <QDBusObjectPath>
#include <QObject>

#include <functional>
#include <optional>

namespace tautband::devices {

// Our org.bluez.Agent1. Qt 6 has no pairing-agent API, and devices with a
// legacy PIN (BITalino: 1234) cannot pair without an agent, so the console
// registers this one with BlueZ (AgentManager1.RegisterAgent, capability
// KeyboardOnly, as default agent) while it pairs. It answers RequestPinCode /
// RequestPasskey from the PIN source (the Devices page's PIN field, or the
// driver's documented default) and refuses everything it was not asked to
// allow: no blind confirmations, no service authorisations.
class BluezPinAgent : public QObject, protected QDBusContext {
  Q_OBJECT
  Q_CLASSINFO("D-Bus Interface", "org.bluez.Agent1")
 public:
  // Returns the PIN for a device address ("AA:BB:..."), or nullopt to refuse.
  using PinSource = std::function<std::optional<QString>(const QString& address)>;

  static inline const QString kObjectPath = QStringLiteral("/org/tautband/agent");

  BluezPinAgent(QDBusConnection bus, PinSource pins, QObject* parent = nullptr);
  ~BluezPinAgent() override;

  // Exports the object and registers it as BlueZ's default agent.
  bool registerWithBluez(QString& error);
  void unregisterFromBluez();

  int pinRequests() const { return pinRequests_; }

 public slots:
  void Release();
  QString RequestPinCode(const QDBusObjectPath& device);
  uint RequestPasskey(const QDBusObjectPath& device);
  void DisplayPinCode(const QDBusObjectPath& device, const QString& pincode);
  void DisplayPasskey(const QDBusObjectPath& device, uint passkey, ushort entered);
  void RequestConfirmation(const QDBusObjectPath& device, uint passkey);
  void RequestAuthorization(const QDBusObjectPath& device);
  void AuthorizeService(const QDBusObjectPath& device, const QString& uuid);
  void Cancel();

 private:
  QString addressOf(const QDBusObjectPath& device) const;
  void reject(const QString& why);

  QDBusConnection bus_;
  PinSource pins_;
  bool registered_ = false;
  int pinRequests_ = 0;
};

// Pairs with a device through BlueZ (Device1.Pair), running the event loop
// while it waits so the agent above can answer. Returns an empty string on
// success (or when already paired), else why not.
QString pairBluetoothDevice(QDBusConnection bus, const QString& address, int timeoutMs = 30000);

// One sentence for a failed Device1.Pair that names the likely cause (wrong
// PIN, no PIN, device not answering), for the Devices page and the CLI.
QString pairingFailureMessage(const QString& address, const QDBusError& error);

// Removes the pairing and BlueZ's record of the device (Adapter1.RemoveDevice).
QString forgetBluetoothDevice(QDBusConnection bus, const QString& address);

}  // namespace tautband::devices
