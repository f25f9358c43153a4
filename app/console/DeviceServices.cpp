#include "console/DeviceServices.h"

#include "core/Logging.h"
#include "devices/native/NativeSerialLink.h"

namespace tautband::console {

DeviceServices::DeviceServices(QObject* parent)
    : QObject(parent),
      launcher_(devices::SimulatorLauncher::findProgram()),
      links_([](const QString& name, const QString& path) { return devices::makeNativeSerialLink(name, path, 115200); }),
      model_(links_, launcher_.program().isEmpty() ? ui::DevicesModel::StartSimulators{}
                                                   : [this] { startSimulators(); }) {
  connect(&launcher_, &devices::SimulatorLauncher::ready, this, [this](const QString& kind, const QString& path) {
    core::logger(core::subsystem::kDevices)->info("simulated {} on {}", kind.toStdString(), path.toStdString());
    links_.add(path);
  });
  connect(&launcher_, &devices::SimulatorLauncher::failed, this, [this](const QString&, const QString& reason) {
    core::logger(core::subsystem::kDevices)->warn("{}", reason.toStdString());
    model_.setMessage(reason);
  });
}

void DeviceServices::startSimulators() {
  launcher_.start(QStringLiteral("laser"));
  // EMG background plus an LTR every few seconds, so the trace has something to show.
  launcher_.start(QStringLiteral("emg"), {QStringLiteral("--channels"), QStringLiteral("8"), QStringLiteral("--rate"),
                                          QStringLiteral("4000"), QStringLiteral("--ltr-every"), QStringLiteral("5")});
  model_.setMessage(tr("Starting the simulated laser and EMG amplifier."));
}

}  // namespace tautband::console
