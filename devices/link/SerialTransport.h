#pragma once

#include "devices/link/Transport.h"

#include <QSerialPort>

namespace tautband::devices {

struct SerialSettings {
  QString path;            // /dev/ttyUSB0, /dev/serial/by-id/..., or a pty path
  qint32 baud = 115200;
};

// Transport over QSerialPort. Reads through QSerialPort; writes go through an
// FdLinkWriter on a duplicate of the port's descriptor, shared with the
// safety thread (see LinkWriter).
class SerialTransport final : public Transport {
  Q_OBJECT
 public:
  explicit SerialTransport(SerialSettings settings, QObject* parent = nullptr);
  ~SerialTransport() override;

  QString describe() const override;
  std::shared_ptr<LinkWriter> open(QString& error) override;
  void close() override;
  double rateCapBytesPerSecond() const override;

 private:
  void onReadyRead();
  void onError(QSerialPort::SerialPortError error);

  SerialSettings settings_;
  QSerialPort port_;
  std::shared_ptr<FdLinkWriter> writer_;
};

// What a serial port can carry, in bytes per second: a UART's baud / 10
// (8N1), a USB CDC-ACM device's bus speed from sysfs, a pty's kernel copy.
double estimateSerialRateCap(const QString& path, qint32 baud);

}  // namespace tautband::devices
