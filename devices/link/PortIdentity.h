#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace tautband::devices {

// Which physical device a link means, so that a reconnect finds the same
// one and never "the next port that appears". A USB adapter is known by
// VID:PID + serial number (QSerialPortInfo) wherever the kernel renumbers
// it; a /dev/serial/by-id path or any other symlink the user chose is stable
// by itself; a bare pty path is only good until its simulator restarts. The
// serial number in the device's DeviceInfo confirms the match after each
// reconnect.
struct PortIdentity {
  QString path;            // what the user or the clinic configuration chose
  QString usbSerial;       // empty when the port is not a USB adapter with a serial
  quint16 vendorId = 0;
  quint16 productId = 0;

  static PortIdentity forPath(const QString& path);

  bool hasUsbIdentity() const { return !usbSerial.isEmpty() && (vendorId || productId); }
  QString describe() const;

  // Where the device is now, or nullopt when it is not plugged in.
  std::optional<QString> locate() const;
};

// One serial port as discovery sees it. Discovery never opens a port.
struct DiscoveredPort {
  QString path;
  QString description;
  QString manufacturer;
  QString usbSerial;
  quint16 vendorId = 0;
  quint16 productId = 0;
  QString byIdPath;  // the /dev/serial/by-id link to it, when udev made one
};

QList<DiscoveredPort> discoverSerialPorts();

}  // namespace tautband::devices
