#include "devices/link/PortIdentity.h"

#include <QDir>
#include <QFileInfo>
#include <QSerialPortInfo>

namespace tautband::devices {
namespace {

QString canonical(const QString& path) {
  const QString c = QFileInfo(path).canonicalFilePath();
  return c.isEmpty() ? path : c;
}

QString byIdLinkFor(const QString& devicePath) {
  const QDir byId(QStringLiteral("/dev/serial/by-id"));
  for (const QFileInfo& link : byId.entryInfoList(QDir::Files | QDir::System)) {
    if (canonical(link.absoluteFilePath()) == devicePath) return link.absoluteFilePath();
  }
  return {};
}

}  // namespace

PortIdentity PortIdentity::forPath(const QString& path) {
  PortIdentity identity;
  identity.path = path;
  const QString device = canonical(path);
  for (const QSerialPortInfo& info : QSerialPortInfo::availablePorts()) {
    if (canonical(info.systemLocation()) != device) continue;
    identity.usbSerial = info.serialNumber();
    identity.vendorId = info.hasVendorIdentifier() ? info.vendorIdentifier() : 0;
    identity.productId = info.hasProductIdentifier() ? info.productIdentifier() : 0;
    break;
  }
  return identity;
}

QString PortIdentity::describe() const {
  if (hasUsbIdentity()) {
    return QStringLiteral("USB %1:%2 serial %3 (%4)")
        .arg(vendorId, 4, 16, QLatin1Char('0'))
        .arg(productId, 4, 16, QLatin1Char('0'))
        .arg(usbSerial, path);
  }
  return path;
}

std::optional<QString> PortIdentity::locate() const {
  if (hasUsbIdentity()) {
    for (const QSerialPortInfo& info : QSerialPortInfo::availablePorts()) {
      if (info.serialNumber() == usbSerial && info.vendorIdentifier() == vendorId &&
          info.productIdentifier() == productId) {
        return info.systemLocation();
      }
    }
    return std::nullopt;
  }
  // Bluetooth links (ble:ADDR, rfcomm:ADDR) are not files: their transport finds the device when it opens.
  if (path.startsWith(QLatin1String("ble:")) || path.startsWith(QLatin1String("rfcomm:"))) return path;
  if (QFileInfo::exists(path)) return path;
  return std::nullopt;
}

QList<DiscoveredPort> discoverSerialPorts() {
  QList<DiscoveredPort> ports;
  for (const QSerialPortInfo& info : QSerialPortInfo::availablePorts()) {
    DiscoveredPort port;
    port.path = info.systemLocation();
    port.description = info.description();
    port.manufacturer = info.manufacturer();
    port.usbSerial = info.serialNumber();
    port.vendorId = info.hasVendorIdentifier() ? info.vendorIdentifier() : 0;
    port.productId = info.hasProductIdentifier() ? info.productIdentifier() : 0;
    port.byIdPath = byIdLinkFor(canonical(port.path));
    ports << port;
  }
  return ports;
}

}  // namespace tautband::devices
