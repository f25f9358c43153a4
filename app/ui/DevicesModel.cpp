#include "DevicesModel.h"

#include "devices/bluetooth/BluetoothPort.h"
#include "devices/host/DriverCatalog.h"
#include "devices/host/LinkManager.h"
#include "devices/link/PortIdentity.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace tautband::ui {

using devices::LinkState;

DevicesModel::DevicesModel(devices::LinkManager& links, StartSimulators startSimulators, QObject* parent)
    : QAbstractListModel(parent), links_(links), startSimulators_(std::move(startSimulators)) {
  connect(&links_, &devices::LinkManager::linksChanged, this, &DevicesModel::rebuild);
  refresh_.setInterval(250);
  connect(&refresh_, &QTimer::timeout, this, &DevicesModel::refreshHealth);
  refresh_.start();
  rebuild();
  refreshPorts();
}

int DevicesModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : rows_; }

QHash<int, QByteArray> DevicesModel::roleNames() const {
  return {{NameRole, "name"},           {PathRole, "path"},       {StateRole, "state"},
          {DetailRole, "detail"},       {DeviceRole, "device"},   {KindRole, "kind"},
          {RateKbRole, "rateKb"},       {CapKbRole, "capKb"},     {ErrorsRole, "errors"},
          {LostRole, "lost"},           {LastHeardMsRole, "lastHeardMs"}, {ReconnectsRole, "reconnects"}};
}

QVariant DevicesModel::data(const QModelIndex& index, int role) const {
  const auto all = links_.links();
  if (!index.isValid() || index.row() >= static_cast<int>(all.size()) || index.row() >= rows_) return {};
  const auto* link = all[static_cast<std::size_t>(index.row())];
  const auto health = link->health();
  const auto info = link->deviceInfo();
  switch (role) {
    case NameRole: return link->name();
    case PathRole: return link->identity().describe();
    case StateRole: return devices::linkStateName(health.state);
    case DetailRole: return health.stateDetail;
    case DeviceRole:
      return info ? QStringLiteral("%1 %2 (serial %3)")
                        .arg(QString::fromStdString(info->vendor()), QString::fromStdString(info->model()),
                             QString::fromStdString(info->serial()))
                  : QString();
    case KindRole:
      if (!info) return QString();
      return info->has_laser() ? QStringLiteral("laser") : info->has_emg() ? QStringLiteral("emg") : QStringLiteral("other");
    case RateKbRole: return health.measuredBytesPerSecond / 1000.0;
    case CapKbRole: return health.rateCapBytesPerSecond / 1000.0;
    case ErrorsRole: return static_cast<double>(health.frameErrors());
    case LostRole: return static_cast<double>(health.lostSequences);
    case LastHeardMsRole: return health.msSinceLastHeard ? QVariant(static_cast<double>(*health.msSinceLastHeard)) : QVariant();
    case ReconnectsRole: return static_cast<double>(health.reconnects);
    default: return {};
  }
}

QString DevicesModel::summary() const {
  if (rows_ == 0) return tr("no devices");
  return tr("%1 of %2 connected").arg(connectedCount_).arg(rows_);
}

void DevicesModel::rebuild() {
  beginResetModel();
  rows_ = static_cast<int>(links_.links().size());
  endResetModel();
  refreshHealth();
}

void DevicesModel::refreshHealth() {
  int connected = 0;
  for (const auto* link : links_.links()) connected += link->health().state == LinkState::Connected ? 1 : 0;
  if (rows_ > 0) emit dataChanged(index(0), index(rows_ - 1));
  if (connected != connectedCount_) {
    connectedCount_ = connected;
    emit summaryChanged();
  }
}

void DevicesModel::setMessage(const QString& message) {
  message_ = message;
  emit messageChanged();
}

bool DevicesModel::checkPort(const QString& port) {
  // ble:/rfcomm: name a Bluetooth device (BlueZ checks it exists when the link opens).
  if (devices::isBluetoothPort(port)) {
    QString error;
    if (devices::parseBluetoothPort(port, error)) return true;
    setMessage(error);
    return false;
  }
  if (port.isEmpty() || !QFileInfo::exists(port)) {
    setMessage(tr("No port at '%1'.").arg(port));
    return false;
  }
  return true;
}

void DevicesModel::connectPort(const QString& path) {
  const QString trimmed = path.trimmed();
  if (!checkPort(trimmed)) return;
  if (links_.add(trimmed)) setMessage(tr("Connecting to %1.").arg(trimmed));
}

QVariantList DevicesModel::usableDrivers() const {
  QVariantList usable;
  for (const auto& d : drivers_) {
    if (d.toMap().value(QStringLiteral("usable")).toBool()) usable.append(d);
  }
  return usable;
}

void DevicesModel::connectPortWith(const QString& path, const QString& driverId, const QVariantMap& settings) {
  const QString trimmed = path.trimmed();
  if (!checkPort(trimmed)) return;
  if (links_.add(trimmed, {driverId, QJsonObject::fromVariantMap(settings)})) {
    setMessage(tr("Connecting to %1 with %2.").arg(trimmed, driverId));
  }
}

void DevicesModel::disconnectLink(const QString& name) { links_.close(name); }
void DevicesModel::reconnectLink(const QString& name) { links_.reopen(name); }
void DevicesModel::forgetLink(const QString& name) { links_.forget(name); }

void DevicesModel::startSimulators() {
  if (!startSimulators_) {
    setMessage(tr("Simulators are not available in this installation."));
    return;
  }
  startSimulators_();
}

void DevicesModel::setDrivers(const QList<devices::DriverRecord>& records) {
  QVariantList drivers;
  for (const auto& d : records) {
    drivers.append(QVariantMap{
        {"id", d.id.isEmpty() ? QFileInfo(d.path).fileName() : d.id},
        {"vendor", d.vendor},
        {"version", d.version},
        {"api", d.apiMajor ? QStringLiteral("%1.%2").arg(d.apiMajor).arg(d.apiMinor) : QString()},
        {"status", d.statusName()},
        {"reason", d.reason},
        {"research", d.patientIsolation() == QLatin1String("none")},
        {"usable", d.usable()},
        {"name", d.name},
        {"settings", d.manifest.value(QStringLiteral("settings")).toArray().toVariantList()},
        {"watchdog", d.manifest.contains(QStringLiteral("firmware_watchdog")) ? QVariant(d.firmwareWatchdog()) : QVariant()}});
  }
  drivers_ = drivers;
  emit driversChanged();
}

void DevicesModel::refreshPorts() {
  QVariantList ports;
  for (const auto& port : devices::discoverSerialPorts()) {
    ports.append(QVariantMap{{"path", port.byIdPath.isEmpty() ? port.path : port.byIdPath},
                             {"description", port.description},
                             {"serial", port.usbSerial}});
  }
  ports_ = ports;
  emit portsChanged();
}

}  // namespace tautband::ui
