#pragma once

#include "devices/host/DriverCatalog.h"
#include "devices/host/LinkManager.h"
#include "devices/host/SimulatorLauncher.h"
#include "ui/DevicesModel.h"

#include <QObject>

#include <map>

namespace tautband::console {

// The console's device side, wired once: the set of links, the simulator
// launcher whose pty paths become links, and the Devices view model.
class DeviceServices : public QObject {
  Q_OBJECT
 public:
  // Driver plugins come from the install directory, <dataDir>/drivers and pluginDirs.
  DeviceServices(const QString& dataDir, const QStringList& pluginDirs, QObject* parent = nullptr);

  void startSimulators();
  ui::DevicesModel& model() { return model_; }
  devices::LinkManager& links() { return links_; }
  // The first identified link whose device streams EMG, or nullptr (read-only use).
  devices::DeviceLink* emgLink() const;
  // Patient isolation of that link's amplifier: the driver manifest's
  // patient_isolation, or the device's declared applied part when the manifest
  // says "device" ("none", "B", "BF", "CF", or "" when undeclared).
  QString patientIsolation(const devices::DeviceLink& link) const;

 private:
  std::unique_ptr<devices::DeviceLink> makeLink(const QString& name, const QString& path,
                                                const devices::LinkManager::Request& request);

  // Destroyed in reverse: the view model, then the links, then the drivers
  // they call, and the simulators last, so no link sees its device vanish.
  devices::SimulatorLauncher launcher_;
  std::map<QString, QString> driverOfLink_;  // link name -> driver id
  devices::DriverCatalog drivers_;
  devices::LinkManager links_;
  ui::DevicesModel model_;
};

}  // namespace tautband::console
