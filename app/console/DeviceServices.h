#pragma once

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
  explicit DeviceServices(QObject* parent = nullptr);

  void startSimulators();
  ui::DevicesModel& model() { return model_; }
  devices::LinkManager& links() { return links_; }

 private:
  // Destroyed in reverse: the view model, then the links, and the
  // simulators last, so no link sees its device vanish while it lives.
  devices::SimulatorLauncher launcher_;
  devices::LinkManager links_;
  ui::DevicesModel model_;
};

}  // namespace tautband::console
