#include "devices/bluetooth/BluetoothLinks.h"

#include "devices/bluetooth/BleTransport.h"
#include "devices/bluetooth/RfcommTransport.h"
#include "devices/host/PluginCodec.h"

#include <stdexcept>

namespace tautband::devices {

LinkOptions defaultBluetoothLinkOptions() {
  LinkOptions options;
  options.handshakeTimeout = std::chrono::milliseconds(10000);
  options.reconnectInitial = std::chrono::milliseconds(250);
  return options;
}

BluetoothLink makeDriverBluetoothLink(const QString& name, const QString& portText,
                                      const DriverRecord& driver, const std::string& settingsJson,
                                      LinkOptions options, BluetoothLinkOptions bluetoothOptions) {
  QString error;
  const auto port = parseBluetoothPort(portText, error);
  if (!port) throw std::runtime_error(error.toStdString());
  { PluginCodec probe(driver, settingsJson); }  // a refusing driver is reported here, not on the codec thread

  auto control = std::make_shared<BluetoothLinkControl>();
  const BluetoothPort target = *port;
  DeviceLink::TransportFactory transports = [target, control](const QString&) -> std::unique_ptr<Transport> {
    if (target.kind == BluetoothPort::Kind::Ble)
      return std::make_unique<BleTransport>(BleSettings{target.address}, control);
    return std::make_unique<RfcommTransport>(RfcommSettings{target.address}, control);
  };
  auto link = std::make_unique<DeviceLink>(
      name, PortIdentity::forPath(target.toString()), std::move(transports),
      [&driver, settingsJson] { return std::make_unique<PluginCodec>(driver, settingsJson); }, options);
  if (bluetoothOptions.armSilenceForLasers) {
    const auto limit = bluetoothOptions.silenceLimit;
    // A laser reports status every 50 ms (native protocol): from its first
    // identification on, silence is a lost link. Runs on the codec thread, so
    // it does not depend on the owner's event loop.
    QObject::connect(
        link.get(), &DeviceLink::messageReceived, link.get(),
        [control, limit](const std::shared_ptr<const proto::Envelope>& message) {
          if (message->has_device_info() && message->device_info().has_laser())
            control->setSilenceLimit(limit);
        },
        Qt::DirectConnection);
  }
  std::weak_ptr<SafetyWritePath> safety = link->safetyPath();
  control->setStaleHook([safety] {
    if (auto path = safety.lock()) path->sendEmissionOff(std::chrono::milliseconds(2));
  });
  return {std::move(link), std::move(control), target};
}

}  // namespace tautband::devices
