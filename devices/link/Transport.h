#pragma once

#include "devices/link/LinkWriter.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <memory>

namespace tautband::devices {

// A byte pipe to one device: serial port, pty, RFCOMM or BLE. It lives on its
// link's I/O thread and is only ever called there; other threads reach the
// device through the LinkWriter it hands out and the link's queues.
class Transport : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;
  ~Transport() override = default;

  // Human-readable target, e.g. "/dev/ttyUSB0 @ 115200".
  virtual QString describe() const = 0;

  // Opens the port. Returns the writer for this connection, or nullptr with
  // error set to a sentence for the user.
  virtual std::shared_ptr<LinkWriter> open(QString& error) = 0;

  // Closes the port (idempotent) and detaches the writer.
  virtual void close() = 0;

  // Bytes per second this transport can carry device -> host.
  virtual double rateCapBytesPerSecond() const = 0;

 signals:
  void bytesReceived(const QByteArray& bytes);
  // The port went away (peer closed, unplugged, I/O error). The transport has
  // already closed itself when this is emitted.
  void lost(const QString& reason);
};

}  // namespace tautband::devices
