#include "devices/link/SerialTransport.h"

#include "core/Logging.h"

#include <QFile>
#include <QFileInfo>

namespace tautband::devices {
namespace {

// A pty moves bytes by kernel copy; tens of MB/s on any machine this runs
// on. Declared, not measured per open: `make bench` measures the real figure.
constexpr double kPtyRateCap = 32.0 * 1024 * 1024;
// Share of the USB bus speed a CDC-ACM bulk endpoint delivers in practice.
constexpr double kUsbBulkEfficiency = 0.8;

}  // namespace

double estimateSerialRateCap(const QString& path, qint32 baud) {
  const QString real = QFileInfo(path).canonicalFilePath().isEmpty() ? path : QFileInfo(path).canonicalFilePath();
  if (real.startsWith(QStringLiteral("/dev/pts/")) || real == QStringLiteral("/dev/ptmx")) return kPtyRateCap;
  const QString name = QFileInfo(real).fileName();
  if (name.startsWith(QStringLiteral("ttyACM"))) {
    // /sys/class/tty/ttyACM0/device is the USB interface; its parent holds the bus speed in Mbit/s.
    QFile speed(QStringLiteral("/sys/class/tty/%1/device/../speed").arg(name));
    if (speed.open(QIODevice::ReadOnly)) {
      bool ok = false;
      const double mbit = speed.readAll().trimmed().toDouble(&ok);
      if (ok && mbit > 0) return mbit * 1e6 / 8.0 * kUsbBulkEfficiency;
    }
  }
  return baud / 10.0;
}

SerialTransport::SerialTransport(SerialSettings settings, QObject* parent)
    : Transport(parent), settings_(std::move(settings)) {
  connect(&port_, &QSerialPort::readyRead, this, &SerialTransport::onReadyRead);
  connect(&port_, &QSerialPort::errorOccurred, this, &SerialTransport::onError);
}

SerialTransport::~SerialTransport() { close(); }

QString SerialTransport::describe() const {
  return QStringLiteral("%1 @ %2").arg(settings_.path).arg(settings_.baud);
}

std::shared_ptr<LinkWriter> SerialTransport::open(QString& error) {
  close();
  port_.setPortName(settings_.path);
  port_.setBaudRate(settings_.baud);
  port_.setDataBits(QSerialPort::Data8);
  port_.setParity(QSerialPort::NoParity);
  port_.setStopBits(QSerialPort::OneStop);
  port_.setFlowControl(QSerialPort::NoFlowControl);
  if (!port_.open(QIODevice::ReadWrite)) {
    error = QStringLiteral("cannot open %1: %2").arg(settings_.path, port_.errorString());
    return nullptr;
  }
  writer_ = std::make_shared<FdLinkWriter>(static_cast<int>(port_.handle()));
  if (!writer_->attached()) {
    error = QStringLiteral("cannot duplicate the descriptor of %1").arg(settings_.path);
    close();
    return nullptr;
  }
  return writer_;
}

void SerialTransport::close() {
  if (writer_) {
    writer_->detach();
    writer_.reset();
  }
  if (port_.isOpen()) port_.close();
}

double SerialTransport::rateCapBytesPerSecond() const {
  return estimateSerialRateCap(settings_.path, settings_.baud);
}

void SerialTransport::onReadyRead() {
  const QByteArray bytes = port_.readAll();
  if (!bytes.isEmpty()) emit bytesReceived(bytes);
}

void SerialTransport::onError(QSerialPort::SerialPortError error) {
  if (error == QSerialPort::NoError || !port_.isOpen()) return;
  // On a pty whose peer closed, Qt 6.4 reports ReadError in a tight loop
  // (stale errno) and ResourceError on EIO: both mean the port is gone.
  // A timeout is not an error for us; anything else is fatal to this open.
  if (error == QSerialPort::TimeoutError) return;
  const QString reason = QStringLiteral("%1: %2").arg(settings_.path, port_.errorString());
  core::logger(core::subsystem::kDevices)->warn("serial port lost: {}", reason.toStdString());
  close();
  emit lost(reason);
}

}  // namespace tautband::devices
