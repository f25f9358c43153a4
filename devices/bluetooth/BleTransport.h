#pragma once

#include "devices/bluetooth/BleLinkWriter.h"
#include "devices/bluetooth/BluetoothLinkControl.h"
#include "devices/bluetooth/LinkFailure.h"
#include "devices/bluetooth/SilenceWatchdog.h"
#include "devices/link/Transport.h"

#include <QBluetoothAddress>
#include <QLowEnergyController>
#include <QLowEnergyService>
#include <QPointer>

#include <memory>

namespace tautband::devices {

struct BleSettings {
  QBluetoothAddress address;
  // A WriteValue BlueZ does not answer within this means the link is gone.
  std::chrono::milliseconds writeReplyTimeout{1000};
  // Radio model for the published rate cap (docs/BLUETOOTH.md): notifications
  // per connection event and the connection interval. Conservative values for
  // a Linux central; a calibrated figure can replace them.
  int notificationsPerEvent = 4;
  std::chrono::microseconds connectionInterval{15000};
};

// Transport over BLE with the Nordic UART Service, through Qt 6.4's BlueZ
// D-Bus backend (QLowEnergyController). open() returns at once with a writer
// that queues; the connection (Connect, ServicesResolved, service discovery,
// notifications on TX) completes on the I/O thread's event loop and any
// failure on the way arrives as lost(). Notifications on TX (6E400003) are
// the received bytes; writes go to RX (6E400002) through BleLinkWriter.
class BleTransport final : public Transport {
  Q_OBJECT
 public:
  BleTransport(BleSettings settings, std::shared_ptr<BluetoothLinkControl> control,
               QObject* parent = nullptr);
  ~BleTransport() override;

  QString describe() const override;
  std::shared_ptr<LinkWriter> open(QString& error) override;
  void close() override;
  double rateCapBytesPerSecond() const override;

  // What the radio model gives for a given ATT payload size.
  static double rateCapFor(int payloadBytes, int notificationsPerEvent, std::chrono::microseconds interval);

 private:
  void onConnected();
  void onServiceDiscovered();
  void onServiceState(QLowEnergyService::ServiceState state);
  void onNotificationsOn();
  void fail(const QString& reason);

  BleSettings settings_;
  std::shared_ptr<BluetoothLinkControl> control_;
  QString devicePath_;
  int knownPayload_ = 0;
  QLowEnergyController* controller_ = nullptr;
  QLowEnergyService* service_ = nullptr;
  std::shared_ptr<BleLinkWriter> writer_;
  SilenceWatchdog watchdog_;
  bool ready_ = false;
  LinkFailure failure_;
};

}  // namespace tautband::devices
