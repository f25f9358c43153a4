#pragma once

#include <QBluetoothAddress>
#include <QString>

namespace tautband::devices {

// The open/lost bookkeeping both Bluetooth transports share. A failure is
// reported once per connection and never while the transport closes on
// purpose (closing triggers Qt's own disconnect signals); its reason is kept
// so a failure inside open() becomes open()'s error.
class LinkFailure {
 public:
  // For a new open(): nothing failed yet, not closing.
  void reset() {
    closing_ = false;
    last_.clear();
  }
  void closing() { closing_ = true; }
  // True when this is the connection's first failure: the caller then closes
  // and emits lost(reason). kind is "BLE" or "RFCOMM", for the log.
  bool first(const char* kind, const QBluetoothAddress& address, const QString& reason, bool connectionExists);
  // Why the last attempt failed, or fallback when nothing was said.
  QString last(const QString& fallback = {}) const { return last_.isEmpty() ? fallback : last_; }

 private:
  bool closing_ = true;
  QString last_;
};

// BlueZ's Device1 object path for address, or empty with error set to a
// sentence: D-Bus's reason, or that BlueZ does not know it followed by hint
// (what the user should do first).
QString findBluezDevice(const QBluetoothAddress& address, const QString& hint, QString& error);

}  // namespace tautband::devices
