#pragma once

#include "devices/bluetooth/BluetoothDiscovery.h"

#include <QAbstractListModel>
#include <QDBusConnection>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <memory>

class QBluetoothDeviceDiscoveryAgent;
class QBluetoothDeviceInfo;

namespace tautband::devices {
class BluezPinAgent;
class DeviceLink;
class DriverCatalog;
class LinkManager;
}  // namespace tautband::devices

namespace tautband::ui {

// The Bluetooth part of the Devices page: candidates BlueZ knows or a scan
// finds (devices advertising the Nordic UART Service, or whose name matches a
// driver's bt_name pattern), pairing with a typed PIN through our BlueZ agent,
// connecting (a ble:/rfcomm: link in the LinkManager, like a serial port;
// only when the user presses Connect) and forgetting (the link closed first,
// then BlueZ's Adapter1.RemoveDevice). Without an adapter it says so in
// words, and every call is a harmless no-op with that message.
class BluetoothModel : public QAbstractListModel {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("created by the console's composition root")
  Q_PROPERTY(bool available READ available NOTIFY availabilityChanged)
  Q_PROPERTY(QString availability READ availability NOTIFY availabilityChanged)
  Q_PROPERTY(bool scanning READ scanning NOTIFY scanningChanged)
  Q_PROPERTY(QString pairingAddress READ pairingAddress NOTIFY pairingChanged)
  Q_PROPERTY(QString message READ message NOTIFY messageChanged)
  Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

 public:
  enum Role {
    AddressRole = Qt::UserRole + 1,
    NameRole,
    PortRole,
    DriverRole,
    WhyRole,
    PairedRole,
    ConnectedRole,  // BlueZ's view of the radio link
    RssiRole,       // dBm, or undefined when unknown
    LinkedRole,     // the console has a link to this device
  };

  BluetoothModel(devices::LinkManager& links, const devices::DriverCatalog& catalog, QDBusConnection bus,
                 QObject* parent = nullptr);
  ~BluetoothModel() override;

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

  bool available() const { return adapter_.available; }
  QString availability() const { return adapter_.available ? QString() : adapter_.problem; }
  bool scanning() const;
  QString pairingAddress() const { return pairingAddress_; }
  QString message() const { return message_; }

  // Checks the adapter again and lists what BlueZ already knows (paired devices).
  Q_INVOKABLE void refresh();
  Q_INVOKABLE void scan(int seconds);
  Q_INVOKABLE void stopScan();
  // Pairs through our agent, which answers BlueZ's PIN request with pin (or
  // the PIN the device's driver manifest documents when pin is empty).
  Q_INVOKABLE void pair(const QString& address, const QString& pin);
  // Opens a link to the device's port with its driver (the user's choice).
  Q_INVOKABLE void connectDevice(const QString& address);
  // Closes and removes the console's link, then removes the device from BlueZ.
  Q_INVOKABLE void forget(const QString& address);
  Q_INVOKABLE int rowOf(const QString& address) const;

 signals:
  void availabilityChanged();
  void scanningChanged();
  void pairingChanged();
  void messageChanged();
  void countChanged();
  void pairingFinished(const QString& address, bool ok, const QString& message);

 private:
  void setMessage(const QString& message);
  void upsert(const devices::DiscoveredBluetoothDevice& device, bool keepRssi);
  void onDeviceSeen(const QBluetoothDeviceInfo& info);
  void onScanEnded();
  void finishPairing(bool ok, const QString& message);
  const devices::DiscoveredBluetoothDevice* find(const QString& address) const;
  devices::DeviceLink* linkTo(const devices::DiscoveredBluetoothDevice& device) const;

  devices::LinkManager& links_;
  const devices::DriverCatalog& catalog_;
  QDBusConnection bus_;
  devices::BluetoothAdapterState adapter_;
  QList<devices::DiscoveredBluetoothDevice> rows_;
  QPointer<QBluetoothDeviceDiscoveryAgent> agent_;
  std::unique_ptr<devices::BluezPinAgent> pinAgent_;
  QString pairingAddress_;
  QString typedPin_;
  QString message_;
  QTimer refreshSoon_;
};

}  // namespace tautband::ui
