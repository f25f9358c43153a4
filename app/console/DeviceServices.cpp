#include "console/DeviceServices.h"

#include "core/Logging.h"
#include "devices/bluetooth/BluetoothLinks.h"
#include "devices/host/DriverLinks.h"

#include <QDir>
#include <QJsonDocument>

namespace tautband::console {

DeviceServices::DeviceServices(const QString& dataDir, const QStringList& pluginDirs, QObject* parent)
    : QObject(parent),
      launcher_(devices::SimulatorLauncher::findProgram()),
      links_([this](const QString& name, const QString& path, const devices::LinkManager::Request& request) {
        return makeLink(name, path, request);
      }),
      model_(links_, launcher_.program().isEmpty() ? ui::DevicesModel::StartSimulators{}
                                                   : [this] { startSimulators(); }),
      bluetooth_(links_, drivers_, QDBusConnection::systemBus()) {
  drivers_.loadDirectory(devices::DriverCatalog::installDirectory());
  drivers_.loadDirectory(QDir(dataDir).filePath(QStringLiteral("drivers")));
  for (const QString& dir : pluginDirs) drivers_.loadDirectory(dir);
  model_.setDrivers(drivers_.records());
  bluetooth_.refresh();  // candidates are matched against the drivers just loaded
  connect(&launcher_, &devices::SimulatorLauncher::ready, this, [this](const QString& kind, const QString& path) {
    core::logger(core::subsystem::kDevices)->info("simulated {} on {}", kind.toStdString(), path.toStdString());
    links_.add(path);
  });
  connect(&launcher_, &devices::SimulatorLauncher::failed, this, [this](const QString&, const QString& reason) {
    core::logger(core::subsystem::kDevices)->warn("{}", reason.toStdString());
    model_.setMessage(reason);
  });
}

std::unique_ptr<devices::DeviceLink> DeviceServices::makeLink(const QString& name, const QString& path,
                                                              const devices::LinkManager::Request& request) {
  // Every link goes through a driver plugin, the native one unless the user chose another.
  const QString id = request.driverId.isEmpty() ? devices::kNativeDriverId : request.driverId;
  const auto* driver = drivers_.find(id);
  if (!driver) {
    model_.setMessage(tr("The driver %1 is not loaded (see the driver list below); nothing was connected.").arg(id));
    return nullptr;
  }
  const auto settings = devices::resolveDriverSettings(driver->manifest, request.settings);
  if (settings.error) {
    model_.setMessage(*settings.error);
    return nullptr;
  }
  try {
    if (devices::isBluetoothPort(path)) {
      auto bluetooth = devices::makeDriverBluetoothLink(
          name, path, *driver, QJsonDocument(settings.values).toJson(QJsonDocument::Compact).toStdString());
      bluetoothControls_[name] = bluetooth.control;
      driverOfLink_[name] = driver->id;
      return std::move(bluetooth.link);
    }
    auto link = devices::makeDriverSerialLink(name, path, *driver, 0,
                                              QJsonDocument(settings.values).toJson(QJsonDocument::Compact).toStdString());
    driverOfLink_[name] = driver->id;
    return link;
  } catch (const std::runtime_error& e) {
    model_.setMessage(QString::fromStdString(e.what()));
    return nullptr;
  }
}

devices::DeviceLink* DeviceServices::emgLink() const {
  for (auto* link : links_.links()) {
    if (const auto info = link->deviceInfo(); info && info->has_emg()) return link;
  }
  return nullptr;
}

void DeviceServices::armSilenceCheck(const devices::DeviceLink& link) {
  if (const auto control = bluetoothControl(link.name()))
    control->setSilenceLimit(devices::BluetoothLinkOptions{}.silenceLimit);
}

std::shared_ptr<devices::BluetoothLinkControl> DeviceServices::bluetoothControl(const QString& linkName) const {
  const auto it = bluetoothControls_.find(linkName);
  return it == bluetoothControls_.end() ? nullptr : it->second;
}

QString DeviceServices::patientIsolation(const devices::DeviceLink& link) const {
  const auto it = driverOfLink_.find(link.name());
  const auto* driver = it != driverOfLink_.end() ? drivers_.find(it->second) : nullptr;
  const QString declared = driver ? driver->patientIsolation() : QString();
  if (declared != QLatin1String("device")) return declared;
  const auto info = link.deviceInfo();
  if (!info || !info->has_emg()) return {};
  switch (info->emg().applied_part()) {
    case devices::proto::APPLIED_PART_B: return QStringLiteral("B");
    case devices::proto::APPLIED_PART_BF: return QStringLiteral("BF");
    case devices::proto::APPLIED_PART_CF: return QStringLiteral("CF");
    default: return {};
  }
}

void DeviceServices::startSimulators() {
  launcher_.start(QStringLiteral("laser"));
  // EMG background plus an LTR every few seconds, so the trace has something to show.
  launcher_.start(QStringLiteral("emg"), {QStringLiteral("--channels"), QStringLiteral("8"), QStringLiteral("--rate"),
                                          QStringLiteral("4000"), QStringLiteral("--ltr-every"), QStringLiteral("5")});
  model_.setMessage(tr("Starting the simulated laser and EMG amplifier."));
}

}  // namespace tautband::console
