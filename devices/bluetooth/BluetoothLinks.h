#pragma once

#include "devices/bluetooth/BluetoothLinkControl.h"
#include "devices/bluetooth/BluetoothPort.h"
#include "devices/host/DriverCatalog.h"
#include "devices/link/DeviceLink.h"

#include <memory>

namespace tautband::devices {

struct BluetoothLinkOptions {
  // Silence that counts as a lost link while the device is expected to talk
  // (see BluetoothLinkControl). Lasers speaking the native protocol send
  // status every 50 ms, so the link arms this for them once identified:
  // 150 ms is three missed reports, and with the 10 ms check the loss is
  // declared within 160 ms of the last byte (BRIEF §7: within 200 ms).
  std::chrono::milliseconds silenceLimit{150};
  bool armSilenceForLasers = true;
};

// The same defaults as a serial link, but a longer handshake: a BLE connect,
// service discovery and subscription take a few hundred ms on a real radio.
LinkOptions defaultBluetoothLinkOptions();

// A link whose codec is a driver plugin, over "ble:ADDR" or "rfcomm:ADDR".
// The returned control lets the caller arm or disarm the silence check (for
// example while an EMG stream runs) and read what the transport learned (ATT
// payload size, Qt's reported MTU). Throws std::runtime_error when the port
// does not parse or the driver cannot be instantiated.
struct BluetoothLink {
  std::unique_ptr<DeviceLink> link;
  std::shared_ptr<BluetoothLinkControl> control;
  BluetoothPort port;
};
BluetoothLink makeDriverBluetoothLink(const QString& name, const QString& port, const DriverRecord& driver,
                                      const std::string& settingsJson = "{}",
                                      LinkOptions options = defaultBluetoothLinkOptions(),
                                      BluetoothLinkOptions bluetoothOptions = {});

}  // namespace tautband::devices
