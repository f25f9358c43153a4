#pragma once

#include <QBluetoothUuid>

namespace tautband::devices::nus {

// Nordic UART Service, pinned by UUID. Names differ between vendors (some
// call 6E400002 "TX" because it is the central's transmit direction); the
// UUIDs decide: the console writes to 6E400002 and subscribes to 6E400003.
inline QBluetoothUuid service() {
  return QBluetoothUuid(QStringLiteral("6e400001-b5a3-f393-e0a9-e50e24dcca9e"));
}
inline QBluetoothUuid hostToDevice() {
  return QBluetoothUuid(QStringLiteral("6e400002-b5a3-f393-e0a9-e50e24dcca9e"));
}
inline QBluetoothUuid deviceToHost() {
  return QBluetoothUuid(QStringLiteral("6e400003-b5a3-f393-e0a9-e50e24dcca9e"));
}

// ATT payload of one write or notification when the MTU is not known: the
// default ATT MTU of 23 minus the 3-byte ATT header.
inline constexpr int kDefaultPayload = 20;
inline constexpr int kAttHeader = 3;

}  // namespace tautband::devices::nus
