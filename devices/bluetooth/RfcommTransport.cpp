#include "devices/bluetooth/RfcommTransport.h"

#include "core/Logging.h"


namespace tautband::devices {
namespace {

auto log() {
  return core::logger(core::subsystem::kDevices);
}

}  // namespace

RfcommTransport::RfcommTransport(RfcommSettings settings, std::shared_ptr<BluetoothLinkControl> control,
                                 QObject* parent)
    : Transport(parent),
      settings_(std::move(settings)),
      control_(std::move(control)),
      watchdog_(control_, this) {
  connect(&watchdog_, &SilenceWatchdog::stale, this, [this](const QString& reason) {
    if (control_) control_->runStaleHook();  // emission-off first, straight to the socket
    fail(reason);
  });
}

RfcommTransport::~RfcommTransport() {
  close();
}

QString RfcommTransport::describe() const {
  return QStringLiteral("rfcomm:%1 (Serial Port Profile)").arg(settings_.address.toString().toUpper());
}

std::shared_ptr<LinkWriter> RfcommTransport::open(QString& error) {
  close();
  failure_.reset();
  if (findBluezDevice(settings_.address,
                      QStringLiteral("pair it first (tautband-cli devices pair --port rfcomm:%1)")
                          .arg(settings_.address.toString()),
                      error)
          .isEmpty())
    return nullptr;
  writer_ = std::make_shared<PendingLinkWriter>();
  socket_ = new QBluetoothSocket(QBluetoothServiceInfo::RfcommProtocol, this);
  connect(socket_, &QBluetoothSocket::connected, this, &RfcommTransport::onConnected);
  connect(socket_, &QBluetoothSocket::readyRead, this, &RfcommTransport::onReadyRead);
  connect(socket_, &QBluetoothSocket::disconnected, this,
          [this] { fail(QStringLiteral("RFCOMM link to %1 closed").arg(settings_.address.toString())); });
  connect(socket_, &QBluetoothSocket::errorOccurred, this, [this](QBluetoothSocket::SocketError) {
    fail(QStringLiteral("RFCOMM link to %1: %2").arg(settings_.address.toString(), socket_->errorString()));
  });
  socket_->connectToService(settings_.address, QBluetoothUuid(QBluetoothUuid::ServiceClassUuid::SerialPort));
  if (!socket_) {  // failed synchronously (fail() ran inside connectToService)
    error = failure_.last(QStringLiteral("cannot connect RFCOMM to %1").arg(settings_.address.toString()));
    return nullptr;
  }
  return writer_;
}

void RfcommTransport::onConnected() {
  if (!socket_ || !writer_) return;
  const auto result =
      writer_->connect(static_cast<int>(socket_->socketDescriptor()), std::chrono::milliseconds(50));
  if (!result.ok) {
    fail(QStringLiteral("RFCOMM link to %1: %2")
             .arg(settings_.address.toString(), QString::fromStdString(result.error)));
    return;
  }
  log()->info("RFCOMM {} connected", settings_.address.toString().toStdString());
  watchdog_.start();
}

void RfcommTransport::onReadyRead() {
  if (!socket_) return;
  const QByteArray bytes = socket_->readAll();
  if (bytes.isEmpty()) return;
  watchdog_.heard();
  emit bytesReceived(bytes);
}

void RfcommTransport::fail(const QString& reason) {
  if (!failure_.first("RFCOMM", settings_.address, reason, socket_ != nullptr)) return;
  close();
  emit lost(reason);
}

void RfcommTransport::close() {
  failure_.closing();
  watchdog_.stop();
  if (writer_) {
    writer_->detach();
    writer_.reset();
  }
  if (socket_) {
    socket_->disconnect(this);
    // Unregisters Qt's profile and asks BlueZ to disconnect it.
    socket_->abort();
    socket_->deleteLater();
    socket_ = nullptr;
  }
}

}  // namespace tautband::devices
