#pragma once

#include "devices/bluetooth/BluetoothLinkControl.h"
#include "devices/bluetooth/LinkFailure.h"
#include "devices/bluetooth/PendingLinkWriter.h"
#include "devices/bluetooth/SilenceWatchdog.h"
#include "devices/link/Transport.h"

#include <QBluetoothAddress>
#include <QBluetoothSocket>

#include <memory>

namespace tautband::devices {

struct RfcommSettings {
  QBluetoothAddress address;
  // Declared rate cap: what SPP over BR/EDR sustains in practice with BlueZ
  // (docs/BLUETOOTH.md); the mock measures only our code path.
  double rateCapBytesPerSecond = 80.0 * 1024;
};

// Transport over Bluetooth Classic RFCOMM (Serial Port Profile, 0x1101)
// through Qt 6.4's BlueZ D-Bus backend. With BlueZ >= 5.46 QBluetoothSocket
// registers a client profile (ProfileManager1.RegisterProfile), calls
// Device1.ConnectProfile(uuid) and wraps the descriptor BlueZ passes to
// Profile1.NewConnection in a local socket; connecting by address and
// channel is not supported there, so this always connects by the SPP UUID.
// Reads go through the QBluetoothSocket; writes go to a duplicate of its
// descriptor (PendingLinkWriter), the same direct path as a serial port.
class RfcommTransport final : public Transport {
  Q_OBJECT
 public:
  RfcommTransport(RfcommSettings settings, std::shared_ptr<BluetoothLinkControl> control,
                  QObject* parent = nullptr);
  ~RfcommTransport() override;

  QString describe() const override;
  std::shared_ptr<LinkWriter> open(QString& error) override;
  void close() override;
  double rateCapBytesPerSecond() const override { return settings_.rateCapBytesPerSecond; }

 private:
  void onConnected();
  void onReadyRead();
  void fail(const QString& reason);

  RfcommSettings settings_;
  std::shared_ptr<BluetoothLinkControl> control_;
  QBluetoothSocket* socket_ = nullptr;
  std::shared_ptr<PendingLinkWriter> writer_;
  SilenceWatchdog watchdog_;
  LinkFailure failure_;
};

}  // namespace tautband::devices
