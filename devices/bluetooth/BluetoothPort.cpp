#include "devices/bluetooth/BluetoothPort.h"

#include <QRegularExpression>

namespace tautband::devices {

QString BluetoothPort::toString() const {
  return schemeName() + QLatin1Char(':') + address.toString().toUpper();
}

bool isBluetoothPort(const QString& text) {
  return text.startsWith(QLatin1String("ble:"), Qt::CaseInsensitive) ||
         text.startsWith(QLatin1String("rfcomm:"), Qt::CaseInsensitive);
}

std::optional<BluetoothPort> parseBluetoothPort(const QString& text, QString& error) {
  const auto colon = text.indexOf(QLatin1Char(':'));
  const QString scheme = text.left(colon).toLower();
  BluetoothPort port;
  if (scheme == QLatin1String("ble")) {
    port.kind = BluetoothPort::Kind::Ble;
  } else if (scheme == QLatin1String("rfcomm")) {
    port.kind = BluetoothPort::Kind::Rfcomm;
  } else {
    error =
        QStringLiteral("'%1' is not a Bluetooth port: use ble:AA:BB:CC:DD:EE:FF or rfcomm:AA:BB:CC:DD:EE:FF")
            .arg(text);
    return std::nullopt;
  }
  const QString address = text.mid(colon + 1).trimmed();
  static const QRegularExpression pattern(QStringLiteral("^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$"));
  if (!pattern.match(address).hasMatch()) {
    error = QStringLiteral(
                "'%1' is not a Bluetooth address (six hex pairs separated by colons, e.g. "
                "AA:BB:CC:DD:EE:FF)")
                .arg(address);
    return std::nullopt;
  }
  port.address = QBluetoothAddress(address.toUpper());
  return port;
}

}  // namespace tautband::devices
