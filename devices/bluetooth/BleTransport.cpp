#include "devices/bluetooth/BleTransport.h"

#include "core/Logging.h"
#include "devices/bluetooth/BluezObjects.h"
#include "devices/bluetooth/NordicUart.h"

#include <QBluetoothDeviceInfo>
#include <QDBusConnection>
#include <QLowEnergyDescriptor>

namespace tautband::devices {
namespace {

auto log() {
  return core::logger(core::subsystem::kDevices);
}

QString uuidText(const QBluetoothUuid& uuid) {
  return uuid.toString(QUuid::WithoutBraces).toLower();
}

}  // namespace

BleTransport::BleTransport(BleSettings settings, std::shared_ptr<BluetoothLinkControl> control,
                           QObject* parent)
    : Transport(parent),
      settings_(std::move(settings)),
      control_(std::move(control)),
      watchdog_(control_, this) {
  connect(&watchdog_, &SilenceWatchdog::stale, this, [this](const QString& reason) {
    if (control_) {
      // Emission-off first, jumping the queue; it goes to BlueZ now unless a
      // write is outstanding on the stale link (then the device's watchdog acts).
      BleLinkWriter::UrgentScope urgent;
      control_->runStaleHook();
    }
    fail(reason);
  });
}

BleTransport::~BleTransport() {
  close();
}

QString BleTransport::describe() const {
  return QStringLiteral("ble:%1 (Nordic UART Service)").arg(settings_.address.toString().toUpper());
}

double BleTransport::rateCapFor(int payloadBytes, int notificationsPerEvent,
                                std::chrono::microseconds interval) {
  if (interval.count() <= 0) return 0;
  return static_cast<double>(payloadBytes) * notificationsPerEvent * 1e6 /
         static_cast<double>(interval.count());
}

double BleTransport::rateCapBytesPerSecond() const {
  const int payload = knownPayload_ > 0 ? knownPayload_ : nus::kDefaultPayload;
  return rateCapFor(payload, settings_.notificationsPerEvent, settings_.connectionInterval);
}

std::shared_ptr<LinkWriter> BleTransport::open(QString& error) {
  close();
  failure_.reset();
  devicePath_ = findBluezDevice(settings_.address,
                                QStringLiteral("scan for it first (tautband-cli devices list --scan 10)"), error);
  if (devicePath_.isEmpty()) return nullptr;
  // BlueZ keeps a bonded device's GATT objects: the MTU may already be known.
  QString dbusError;
  if (const auto objects = bluez::managedObjects(QDBusConnection::systemBus(), dbusError)) {
    if (const auto rx = bluez::findCharacteristic(*objects, devicePath_, uuidText(nus::service()),
                                                  uuidText(nus::hostToDevice()));
        rx && rx->mtu > nus::kAttHeader)
      knownPayload_ = rx->mtu - nus::kAttHeader;
  }

  writer_ =
      std::make_shared<BleLinkWriter>(QDBusConnection::systemBus(), thread(), settings_.writeReplyTimeout);
  QPointer<BleTransport> self(this);
  writer_->setFailureHandler([self](const QString& reason) {
    // From the writer's thread; the transport lives on the I/O thread.
    QMetaObject::invokeMethod(
        self.data(),
        [self, reason] {
          if (self) self->fail(reason);
        },
        Qt::QueuedConnection);
  });

  QBluetoothDeviceInfo info(settings_.address, QString(), 0);
  info.setCoreConfigurations(QBluetoothDeviceInfo::LowEnergyCoreConfiguration);
  controller_ = QLowEnergyController::createCentral(info, this);
  connect(controller_, &QLowEnergyController::connected, this, &BleTransport::onConnected);
  connect(controller_, &QLowEnergyController::discoveryFinished, this, &BleTransport::onServiceDiscovered);
  connect(controller_, &QLowEnergyController::disconnected, this, [this] {
    fail(QStringLiteral("BlueZ reports %1 disconnected").arg(settings_.address.toString()));
  });
  connect(controller_, &QLowEnergyController::errorOccurred, this, [this](QLowEnergyController::Error) {
    fail(QStringLiteral("BLE connection to %1 failed: %2")
             .arg(settings_.address.toString(), controller_->errorString()));
  });
  controller_->connectToDevice();
  if (!controller_) {  // failed synchronously (fail() ran inside connectToDevice)
    error = failure_.last();
    return nullptr;
  }
  return writer_;
}

void BleTransport::onConnected() {
  if (!controller_) return;
  controller_->discoverServices();
}

void BleTransport::onServiceDiscovered() {
  if (!controller_) return;
  if (!controller_->services().contains(nus::service())) {
    fail(QStringLiteral("%1 has no Nordic UART Service (6E400001-B5A3-F393-E0A9-E50E24DCCA9E)")
             .arg(settings_.address.toString()));
    return;
  }
  service_ = controller_->createServiceObject(nus::service(), this);
  if (!service_) {
    fail(QStringLiteral("cannot open the Nordic UART Service on %1").arg(settings_.address.toString()));
    return;
  }
  connect(service_, &QLowEnergyService::stateChanged, this, &BleTransport::onServiceState);
  connect(service_, &QLowEnergyService::characteristicChanged, this,
          [this](const QLowEnergyCharacteristic& characteristic, const QByteArray& value) {
            if (characteristic.uuid() != nus::deviceToHost() || value.isEmpty()) return;
            watchdog_.heard();
            emit bytesReceived(value);
          });
  connect(service_, &QLowEnergyService::descriptorWritten, this,
          [this](const QLowEnergyDescriptor& descriptor, const QByteArray&) {
            if (descriptor.uuid() ==
                QBluetoothUuid(QBluetoothUuid::DescriptorType::ClientCharacteristicConfiguration))
              onNotificationsOn();
          });
  connect(service_, &QLowEnergyService::errorOccurred, this, [this](QLowEnergyService::ServiceError e) {
    fail(QStringLiteral("Nordic UART Service error %1 on %2").arg(int(e)).arg(settings_.address.toString()));
  });
  // No value reads: NUS characteristics carry a stream, not state.
  service_->discoverDetails(QLowEnergyService::SkipValueDiscovery);
}

void BleTransport::onServiceState(QLowEnergyService::ServiceState state) {
  if (state != QLowEnergyService::RemoteServiceDiscovered || !service_) return;
  const auto rx = service_->characteristic(nus::hostToDevice());
  const auto tx = service_->characteristic(nus::deviceToHost());
  if (!rx.isValid() || !tx.isValid()) {
    fail(QStringLiteral("the Nordic UART Service on %1 lacks %2")
             .arg(settings_.address.toString(),
                  rx.isValid() ? QStringLiteral("6E400003 (TX)") : QStringLiteral("6E400002 (RX)")));
    return;
  }
  if (!(rx.properties() & (QLowEnergyCharacteristic::Write | QLowEnergyCharacteristic::WriteNoResponse))) {
    fail(QStringLiteral("6E400002 on %1 is not writable").arg(settings_.address.toString()));
    return;
  }
  if (!(tx.properties() & QLowEnergyCharacteristic::Notify)) {
    fail(QStringLiteral("6E400003 on %1 does not notify").arg(settings_.address.toString()));
    return;
  }
  const auto cccd = tx.descriptor(QBluetoothUuid::DescriptorType::ClientCharacteristicConfiguration);
  if (!cccd.isValid()) {
    fail(QStringLiteral("6E400003 on %1 has no CCCD (0x2902)").arg(settings_.address.toString()));
    return;
  }
  // Qt 6.4 turns this CCCD write into GattCharacteristic1.StartNotify.
  service_->writeDescriptor(cccd, QLowEnergyCharacteristic::CCCDEnableNotification);
}

void BleTransport::onNotificationsOn() {
  if (ready_ || !controller_) return;
  // Qt 6.4's mtu() is -1 on the BlueZ D-Bus backend (it is only set in the
  // peripheral role), so the payload size comes from BlueZ itself.
  if (control_) control_->setQtReportedMtu(controller_->mtu());
  QString error;
  const auto objects = bluez::managedObjects(QDBusConnection::systemBus(), error);
  const auto rx = objects ? bluez::findCharacteristic(*objects, devicePath_, uuidText(nus::service()),
                                                      uuidText(nus::hostToDevice()))
                          : std::nullopt;
  if (!rx) {
    fail(QStringLiteral("cannot find the RX characteristic of %1 on D-Bus: %2")
             .arg(settings_.address.toString(), error.isEmpty() ? QStringLiteral("not listed") : error));
    return;
  }
  BleLinkWriter::Target target;
  target.characteristicPath = rx->path;
  target.withoutResponse = rx->flags.contains(QStringLiteral("write-without-response"));
  target.payloadBytes = rx->mtu > nus::kAttHeader ? rx->mtu - nus::kAttHeader : nus::kDefaultPayload;
  knownPayload_ = target.payloadBytes;
  if (control_) control_->setPayloadBytes(target.payloadBytes);
  log()->info("BLE {} ready: payload {} bytes (BlueZ MTU {}, Qt mtu() {}), writes as {}",
              settings_.address.toString().toStdString(), target.payloadBytes, rx->mtu, controller_->mtu(),
              target.withoutResponse ? "write-without-response" : "write-with-response");
  ready_ = true;
  watchdog_.start();
  writer_->activate(std::move(target));
}

void BleTransport::fail(const QString& reason) {
  if (!failure_.first("BLE", settings_.address, reason, controller_ != nullptr)) return;
  close();
  emit lost(reason);
}

void BleTransport::close() {
  failure_.closing();
  ready_ = false;
  watchdog_.stop();
  if (writer_) {
    writer_->detach();
    writer_.reset();
  }
  if (service_) {
    service_->disconnect(this);
    service_->deleteLater();
    service_ = nullptr;
  }
  if (controller_) {
    controller_->disconnect(this);
    // Tell BlueZ to drop the link (a stale one too), then let Qt finish.
    if (controller_->state() != QLowEnergyController::UnconnectedState) controller_->disconnectFromDevice();
    controller_->deleteLater();
    controller_ = nullptr;
  }
}

}  // namespace tautband::devices
