#include "BluetoothModel.h"

#include "devices/bluetooth/BluezObjects.h"
#include "devices/bluetooth/PinAgent.h"
#include "devices/host/DriverCatalog.h"
#include "devices/host/LinkManager.h"

#include <QBluetoothDeviceDiscoveryAgent>
#include <QBluetoothDeviceInfo>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>

#include <algorithm>

namespace tautband::ui {

namespace {
constexpr int kPairTimeoutMs = 30000;
constexpr int kMaxScanSeconds = 60;
}  // namespace

BluetoothModel::BluetoothModel(devices::LinkManager& links, const devices::DriverCatalog& catalog,
                               QDBusConnection bus, QObject* parent)
    : QAbstractListModel(parent), links_(links), catalog_(catalog), bus_(std::move(bus)) {
  devices::bluez::registerMetaTypes();
  // Links come and go (connect, forget, the Devices list's own buttons).
  connect(&links_, &devices::LinkManager::linksChanged, this, [this] {
    if (!rows_.isEmpty()) emit dataChanged(index(0), index(static_cast<int>(rows_.size()) - 1), {LinkedRole});
  });
  refreshSoon_.setSingleShot(true);
  refreshSoon_.setInterval(200);
  connect(&refreshSoon_, &QTimer::timeout, this, &BluetoothModel::refresh);
  refresh();
}

BluetoothModel::~BluetoothModel() {
  if (agent_) agent_->stop();
}

int BluetoothModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QHash<int, QByteArray> BluetoothModel::roleNames() const {
  return {{AddressRole, "address"}, {NameRole, "name"},           {PortRole, "port"},
          {DriverRole, "driverId"}, {WhyRole, "why"},             {PairedRole, "paired"},
          {ConnectedRole, "connected"}, {RssiRole, "rssi"},       {LinkedRole, "linked"}};
}

QVariant BluetoothModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rows_.size()) return {};
  const auto& d = rows_.at(index.row());
  switch (role) {
    case AddressRole: return d.address;
    case NameRole: return d.name;
    case PortRole: return d.port;
    case DriverRole: return d.driverId;
    case WhyRole: return d.why;
    case PairedRole: return d.paired;
    case ConnectedRole: return d.connected;
    case RssiRole: return d.rssi ? QVariant(*d.rssi) : QVariant();
    case LinkedRole: return linkTo(d) != nullptr;
    default: return {};
  }
}

bool BluetoothModel::scanning() const {
  return agent_ && agent_->isActive();
}

int BluetoothModel::rowOf(const QString& address) const {
  for (int i = 0; i < rows_.size(); ++i)
    if (rows_.at(i).address.compare(address, Qt::CaseInsensitive) == 0) return i;
  return -1;
}

const devices::DiscoveredBluetoothDevice* BluetoothModel::find(const QString& address) const {
  const int row = rowOf(address);
  return row < 0 ? nullptr : &rows_.at(row);
}

devices::DeviceLink* BluetoothModel::linkTo(const devices::DiscoveredBluetoothDevice& device) const {
  if (device.port.isEmpty()) return nullptr;
  for (auto* link : links_.links())
    if (link->identity().path.compare(device.port, Qt::CaseInsensitive) == 0) return link;
  return nullptr;
}

void BluetoothModel::setMessage(const QString& message) {
  if (message == message_) return;
  message_ = message;
  emit messageChanged();
}

void BluetoothModel::refresh() {
  const bool wasAvailable = adapter_.available;
  const QString oldProblem = adapter_.problem;
  adapter_ = devices::bluetoothAdapterState(bus_);
  if (adapter_.available != wasAvailable || adapter_.problem != oldProblem) emit availabilityChanged();
  QList<devices::DiscoveredBluetoothDevice> known;
  if (adapter_.available) known = devices::discoverBluetoothDevices(bus_, catalog_, 0).devices;
  // BlueZ is the truth for who exists and who is paired; a scan's RSSI stays
  // when BlueZ has none (it drops RSSI once a scan ends).
  for (auto& device : known) {
    if (const auto* old = find(device.address); old && !device.rssi) device.rssi = old->rssi;
  }
  const int before = static_cast<int>(rows_.size());
  beginResetModel();
  rows_ = known;
  endResetModel();
  if (rows_.size() != before) emit countChanged();
}

void BluetoothModel::upsert(const devices::DiscoveredBluetoothDevice& device, bool keepRssi) {
  const int row = rowOf(device.address);
  if (row < 0) {
    const int at = static_cast<int>(rows_.size());
    beginInsertRows({}, at, at);
    rows_ << device;
    endInsertRows();
    emit countChanged();
    return;
  }
  auto& existing = rows_[row];
  const auto rssi = existing.rssi;
  existing = device;
  if (keepRssi && !existing.rssi) existing.rssi = rssi;
  emit dataChanged(index(row), index(row));
}

void BluetoothModel::scan(int seconds) {
  refresh();
  if (!adapter_.available) {
    setMessage(adapter_.problem);
    return;
  }
  if (scanning()) return;
  const int duration = std::clamp(seconds, 1, kMaxScanSeconds);
  agent_ = new QBluetoothDeviceDiscoveryAgent(this);
  if (agent_->error() != QBluetoothDeviceDiscoveryAgent::NoError) {
    setMessage(tr("Cannot scan: %1").arg(agent_->errorString()));
    agent_->deleteLater();
    return;
  }
  agent_->setLowEnergyDiscoveryTimeout(duration * 1000);
  connect(agent_, &QBluetoothDeviceDiscoveryAgent::deviceDiscovered, this, &BluetoothModel::onDeviceSeen);
  connect(agent_, &QBluetoothDeviceDiscoveryAgent::deviceUpdated, this,
          [this](const QBluetoothDeviceInfo& info, QBluetoothDeviceInfo::Fields) { onDeviceSeen(info); });
  connect(agent_, &QBluetoothDeviceDiscoveryAgent::finished, this, &BluetoothModel::onScanEnded);
  connect(agent_, &QBluetoothDeviceDiscoveryAgent::canceled, this, &BluetoothModel::onScanEnded);
  connect(agent_, &QBluetoothDeviceDiscoveryAgent::errorOccurred, this,
          [this](QBluetoothDeviceDiscoveryAgent::Error) {
            const QString why = agent_ ? agent_->errorString() : QString();
            onScanEnded();
            setMessage(tr("The scan stopped: %1").arg(why));
          });
  // Both radios: NUS devices advertise over LE, SPP devices answer Classic inquiries.
  agent_->start(QBluetoothDeviceDiscoveryAgent::supportedDiscoveryMethods());
  // A backstop: a backend that never reports the end does not scan forever.
  QTimer::singleShot((duration + 2) * 1000, this, [agent = agent_] {
    if (agent && agent->isActive()) agent->stop();
  });
  setMessage(tr("Scanning for %n second(s)… Nothing connects until you press Connect.", nullptr, duration));
  emit scanningChanged();
}

void BluetoothModel::stopScan() {
  if (agent_ && agent_->isActive()) agent_->stop();
}

void BluetoothModel::onDeviceSeen(const QBluetoothDeviceInfo& info) {
  devices::bluez::KnownDevice seen;
  seen.address = info.address().toString().toUpper();
  seen.name = info.name();
  if (info.rssi() != 0) seen.rssi = info.rssi();
  for (const auto& uuid : info.serviceUuids()) seen.uuids << uuid.toString(QUuid::WithoutBraces).toLower();
  if (const auto* old = find(seen.address)) {
    seen.paired = old->paired;
    seen.connected = old->connected;
  }
  if (const auto candidate = devices::classifyBluetoothDevice(catalog_, seen)) upsert(*candidate, true);
  refreshSoon_.start();  // paired/connected state comes from BlueZ
}

void BluetoothModel::onScanEnded() {
  if (!agent_) return;
  agent_->disconnect(this);
  agent_->deleteLater();
  agent_ = nullptr;
  refreshSoon_.stop();
  refresh();
  emit scanningChanged();
  setMessage(rows_.isEmpty() ? tr("Scan finished: no Bluetooth device a driver can use was found.")
                             : tr("Scan finished: %n device(s) listed. Pair or connect one.", nullptr,
                                  static_cast<int>(rows_.size())));
}

void BluetoothModel::pair(const QString& address, const QString& pin) {
  if (!adapter_.available) {
    setMessage(adapter_.problem);
    return;
  }
  if (!pairingAddress_.isEmpty()) {
    setMessage(tr("Still pairing with %1: wait for it to finish.").arg(pairingAddress_));
    return;
  }
  const auto* device = find(address);
  if (!device) {
    setMessage(tr("Unknown Bluetooth device %1: scan for it first.").arg(address));
    return;
  }
  const QString typed = pin.trimmed();
  if (typed.size() > 16) {
    setMessage(tr("A Bluetooth PIN has at most 16 characters."));
    return;
  }
  QString error;
  const auto objects = devices::bluez::managedObjects(bus_, error);
  const QString path = objects ? devices::bluez::devicePath(*objects, QBluetoothAddress(device->address)) : QString();
  if (path.isEmpty()) {
    setMessage(tr("BlueZ no longer knows %1: scan for it again.").arg(device->address));
    return;
  }
  pairingAddress_ = device->address;
  typedPin_ = typed;
  const QString driverId = device->driverId;
  pinAgent_ = std::make_unique<devices::BluezPinAgent>(
      bus_, [this, driverId](const QString& asking) -> std::optional<QString> {
        // Only the device the user is pairing gets a PIN.
        if (asking.compare(pairingAddress_, Qt::CaseInsensitive) != 0) return std::nullopt;
        if (!typedPin_.isEmpty()) return typedPin_;
        if (const auto* driver = catalog_.find(driverId)) return devices::manifestPin(*driver);
        return std::nullopt;
      });
  if (!pinAgent_->registerWithBluez(error)) {
    finishPairing(false, error);
    return;
  }
  emit pairingChanged();
  setMessage(tr("Pairing with %1 (%2)…").arg(device->name, device->address));
  const auto call = QDBusMessage::createMethodCall(devices::bluez::kService, path, devices::bluez::kDevice1,
                                                   QStringLiteral("Pair"));
  auto* watcher = new QDBusPendingCallWatcher(bus_.asyncCall(call, kPairTimeoutMs), this);
  const QString name = device->name;
  connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher, name](QDBusPendingCallWatcher*) {
    watcher->deleteLater();
    const QDBusPendingReply<> reply = *watcher;
    const QString address = pairingAddress_;
    if (!reply.isError() || reply.error().name() == QLatin1String("org.bluez.Error.AlreadyExists")) {
      finishPairing(true, tr("Paired with %1 (%2). Press Connect to use it.").arg(name, address));
    } else {
      finishPairing(false, devices::pairingFailureMessage(address, reply.error()));
    }
  });
}

void BluetoothModel::finishPairing(bool ok, const QString& message) {
  const QString address = pairingAddress_;
  pinAgent_.reset();  // unregisters from BlueZ: the console answers PINs only while the user pairs
  pairingAddress_.clear();
  typedPin_.clear();
  emit pairingChanged();
  refresh();
  setMessage(message);
  emit pairingFinished(address, ok, message);
}

void BluetoothModel::connectDevice(const QString& address) {
  const auto* device = find(address);
  if (!device) {
    setMessage(tr("Unknown Bluetooth device %1: scan for it first.").arg(address));
    return;
  }
  if (device->port.isEmpty()) {
    setMessage(tr("%1 offers neither the Nordic UART Service nor a serial port: the console cannot talk to it.")
                   .arg(device->name));
    return;
  }
  if (linkTo(*device)) {
    setMessage(tr("%1 already has a link: see its health in the list.").arg(device->port));
    return;
  }
  const QString name = device->name;
  const QString port = device->port;
  const QString driverId = device->driverId;
  if (links_.add(port, {driverId, {}}))
    setMessage(tr("Connecting to %1 on %2 with the %3 driver.").arg(name, port, driverId));
  else
    setMessage(tr("No link was made to %1: see the message at the top of the page.").arg(port));
}

void BluetoothModel::forget(const QString& address) {
  const auto* device = find(address);
  if (!device) {
    setMessage(tr("Unknown Bluetooth device %1.").arg(address));
    return;
  }
  const QString name = device->name;
  const QString upper = device->address;
  // The link goes first (emission-off and threads stopped by LinkManager),
  // so nothing is talking to the device when BlueZ drops it.
  if (auto* link = linkTo(*device)) links_.forget(link->name());
  if (!adapter_.available) {
    setMessage(adapter_.problem);
    return;
  }
  const QString error = devices::forgetBluetoothDevice(bus_, upper);
  refresh();
  setMessage(error.isEmpty()
                 ? tr("Forgot %1 (%2): its link is closed and its pairing removed. Scan and pair to use it again.")
                       .arg(name, upper)
                 : error);
}

}  // namespace tautband::ui
