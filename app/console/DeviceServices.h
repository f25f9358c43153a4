#pragma once

#include "devices/bluetooth/BluetoothLinkControl.h"
#include "devices/host/DriverCatalog.h"
#include "devices/host/LinkManager.h"
#include "devices/host/SimulatorLauncher.h"
#include "ui/BluetoothModel.h"
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
  ui::BluetoothModel& bluetooth() { return bluetooth_; }
  devices::LinkManager& links() { return links_; }
  // The first identified link whose device streams EMG, or nullptr (read-only use).
  devices::DeviceLink* emgLink() const;
  // Patient isolation of that link's amplifier: the driver manifest's
  // patient_isolation, or the device's declared applied part when the manifest
  // says "device" ("none", "B", "BF", "CF", or "" when undeclared).
  QString patientIsolation(const devices::DeviceLink& link) const;
  // The device on this link now streams (an EMG amplifier after its start
  // command): silence from it means the link is lost. Bluetooth links arm
  // their silence check (BLE reports a dead radio only after the supervision
  // timeout); serial links report loss themselves, so this is a no-op there.
  void armSilenceCheck(const devices::DeviceLink& link);
  // A Bluetooth link's control (silence limit, payload size), or nullptr.
  std::shared_ptr<devices::BluetoothLinkControl> bluetoothControl(const QString& linkName) const;

 private:
  std::unique_ptr<devices::DeviceLink> makeLink(const QString& name, const QString& path,
                                                const devices::LinkManager::Request& request);

  // Destroyed in reverse: the view model, then the links, then the drivers
  // they call, and the simulators last, so no link sees its device vanish.
  devices::SimulatorLauncher launcher_;
  std::map<QString, QString> driverOfLink_;  // link name -> driver id
  std::map<QString, std::shared_ptr<devices::BluetoothLinkControl>> bluetoothControls_;  // by link name
  devices::DriverCatalog drivers_;
  devices::LinkManager links_;
  ui::DevicesModel model_;
  ui::BluetoothModel bluetooth_;
};

}  // namespace tautband::console
