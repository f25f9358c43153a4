#pragma once

#include "devices/bluetooth/BluetoothLinkControl.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>

namespace tautband::devices {

// Lives on a transport's I/O thread: fires stale() when the device has been
// silent longer than the control's silence limit while the link is up.
class SilenceWatchdog : public QObject {
  Q_OBJECT
 public:
  explicit SilenceWatchdog(std::shared_ptr<BluetoothLinkControl> control, QObject* parent = nullptr);

  void start();  // the link is up: measure from now
  void stop();
  void heard();  // bytes arrived

 signals:
  void stale(const QString& reason);

 private:
  void check();

  std::shared_ptr<BluetoothLinkControl> control_;
  QTimer timer_;
  QElapsedTimer sinceHeard_;
};

}  // namespace tautband::devices
