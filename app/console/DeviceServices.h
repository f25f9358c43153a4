#pragma once

#include "devices/host/DriverCatalog.h"
#include "devices/host/LinkManager.h"
#include "devices/host/SimulatorLauncher.h"
#include "ui/DevicesModel.h"

#include <QObject>

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

 private:
  std::unique_ptr<devices::DeviceLink> makeLink(const QString& name, const QString& path);

  // Destroyed in reverse: the view model, then the links, then the drivers
  // they call, and the simulators last, so no link sees its device vanish.
  devices::SimulatorLauncher launcher_;
  devices::DriverCatalog drivers_;
  devices::LinkManager links_;
  ui::DevicesModel model_;
};

}  // namespace tautband::console
