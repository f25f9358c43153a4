#include "console/DeviceServices.h"

#include "core/Logging.h"
#include "devices/host/DriverLinks.h"

#include <QDir>

namespace tautband::console {

DeviceServices::DeviceServices(const QString& dataDir, const QStringList& pluginDirs, QObject* parent)
    : QObject(parent),
      launcher_(devices::SimulatorLauncher::findProgram()),
      links_([this](const QString& name, const QString& path) { return makeLink(name, path); }),
      model_(links_, launcher_.program().isEmpty() ? ui::DevicesModel::StartSimulators{}
                                                   : [this] { startSimulators(); }) {
  drivers_.loadDirectory(devices::DriverCatalog::installDirectory());
  drivers_.loadDirectory(QDir(dataDir).filePath(QStringLiteral("drivers")));
  for (const QString& dir : pluginDirs) drivers_.loadDirectory(dir);
  model_.setDrivers(drivers_.records());
  connect(&launcher_, &devices::SimulatorLauncher::ready, this, [this](const QString& kind, const QString& path) {
    core::logger(core::subsystem::kDevices)->info("simulated {} on {}", kind.toStdString(), path.toStdString());
    links_.add(path);
  });
  connect(&launcher_, &devices::SimulatorLauncher::failed, this, [this](const QString&, const QString& reason) {
    core::logger(core::subsystem::kDevices)->warn("{}", reason.toStdString());
    model_.setMessage(reason);
  });
}

std::unique_ptr<devices::DeviceLink> DeviceServices::makeLink(const QString& name, const QString& path) {
  // Every link goes through a driver plugin; the console picks the native
  // driver until the Devices page lets the user choose another.
  const auto* driver = drivers_.find(devices::kNativeDriverId);
  if (!driver) {
    model_.setMessage(tr("The native driver plugin was not found in %1; no device can be connected.")
                          .arg(devices::DriverCatalog::installDirectory()));
    return nullptr;
  }
  try {
    return devices::makeDriverSerialLink(name, path, *driver);
  } catch (const std::runtime_error& e) {
    model_.setMessage(QString::fromStdString(e.what()));
    return nullptr;
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
