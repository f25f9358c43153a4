#pragma once

#include <QBluetoothAddress>
#include <QString>

#include <optional>

namespace tautband::devices {

// A Bluetooth link as the user or the clinic configuration names it:
// "ble:AA:BB:CC:DD:EE:FF" (Nordic UART Service over BLE) or
// "rfcomm:AA:BB:CC:DD:EE:FF" (Serial Port Profile over Bluetooth Classic).
struct BluetoothPort {
  enum class Kind { Ble, Rfcomm };
  Kind kind = Kind::Ble;
  QBluetoothAddress address;

  // Canonical spelling: scheme in lower case, address in upper case (as BlueZ reports it).
  QString toString() const;
  QString schemeName() const { return kind == Kind::Ble ? QStringLiteral("ble") : QStringLiteral("rfcomm"); }
};

// True when the text names a Bluetooth link (ble: or rfcomm:), valid or not.
bool isBluetoothPort(const QString& text);

// Parses "ble:ADDR" / "rfcomm:ADDR"; nullopt with error set to one sentence otherwise.
std::optional<BluetoothPort> parseBluetoothPort(const QString& text, QString& error);

}  // namespace tautband::devices
