#pragma once

// What the Bluetooth tests share: the process's BlueZ mock, waiting without
// blocking the event loop, a message counter on a link's codec thread, and
// MockedLink, the one connect-and-wait setup: a simulator behind a mocked
// BLE (Nordic UART) or Classic (SPP) device and a driver link to it.
#include "BluezMock.h"
#include "SimProcess.h"
#include "devices/bluetooth/BluetoothLinks.h"

#include <QTest>

#include <atomic>
#include <functional>
#include <mutex>
#include <set>

namespace bluetoothtest {

using namespace tautband::devices;

// One mock per test process, made in initTestCase before anything touches the system bus.
inline BluezMock* mock = nullptr;

inline bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
  QElapsedTimer timer;
  timer.start();
  while (!done()) {
    if (timer.elapsed() > timeoutMs) return false;
    QTest::qWait(5);
  }
  return true;
}

inline bool waitForState(DeviceLink& link, LinkState state, int timeoutMs) {
  return waitUntil([&] { return link.health().state == state; }, timeoutMs);
}

inline QString nextAddress() {
  static int n = 0x10;
  return QStringLiteral("C0:FF:EE:00:00:%1").arg(++n, 2, 16, QLatin1Char('0')).toUpper();
}

// Tests that are not about staleness use a 1 s silence limit: the mock and
// the simulators share two loaded cores, and a 200 ms scheduling hiccup there
// is not a radio problem.
inline BluetoothLinkOptions relaxed() {
  BluetoothLinkOptions options;
  options.silenceLimit = std::chrono::milliseconds(1000);
  return options;
}

inline LinkOptions fastOptions() {
  auto options = defaultBluetoothLinkOptions();
  options.handshakeTimeout = std::chrono::milliseconds(5000);
  options.reconnectInitial = std::chrono::milliseconds(100);
  options.reconnectMax = std::chrono::milliseconds(400);
  return options;
}

// Watches a link's messages on the codec thread.
struct Messages {
  std::atomic<std::uint64_t> emgSamples{0};
  std::atomic<int> lastEmission{-1};
  std::atomic<int> statuses{0};
  std::mutex mutex;
  std::set<std::uint32_t> answered;  // request ids the device acked or nacked
  bool wasAnswered(std::uint32_t id) {
    std::lock_guard lock(mutex);
    return answered.count(id) > 0;
  }
  void attach(DeviceLink& link) {
    QObject::connect(
        &link, &DeviceLink::messageReceived, &link,
        [this](const std::shared_ptr<const proto::Envelope>& m) {
          if (m->has_emg_frame()) {
            const auto& f = m->emg_frame();
            emgSamples += static_cast<std::uint64_t>(f.samples_size()) / std::max(1u, f.channel_count());
          }
          if (m->has_laser_status()) {
            lastEmission = static_cast<int>(m->laser_status().emission());
            ++statuses;
          }
          if (m->has_ack() || m->has_nack()) {
            std::lock_guard lock(mutex);
            answered.insert(m->has_ack() ? m->ack().request_id() : m->nack().request_id());
          }
        },
        Qt::DirectConnection);
  }
};

// A tautband-sim process behind a mocked Bluetooth device (a fresh address)
// and a driver link to it, not yet opened; messages counts what arrives.
struct MockedLink {
  enum class Radio { Ble, Spp };
  struct Device {
    QString name = QStringLiteral("Tautband Laser");
    Radio radio = Radio::Ble;
    uint mtu = 247;  // BLE only; 0: BlueZ publishes no MTU (older BlueZ)
  };

  MockedLink(const QStringList& simArgs, Device device, const DriverRecord& driver,
             const std::string& settingsJson = "{}", BluetoothLinkOptions options = relaxed())
      : sim(simArgs), address(nextAddress()) {
    const bool ble = device.radio == Radio::Ble;
    added = ble ? mock->addNusDevice(address, device.name, sim.path(), device.mtu)
                : mock->addSppDevice(address, device.name, sim.path());
    bt = makeDriverBluetoothLink(QStringLiteral("bt-") + simArgs.value(0),
                                 (ble ? QStringLiteral("ble:") : QStringLiteral("rfcomm:")) + address, driver,
                                 settingsJson, fastOptions(), options);
    messages.attach(*bt.link);
  }

  // Opens the link and waits until the device has identified itself.
  bool connect(int timeoutMs = 10000) {
    if (!added) return false;
    bt.link->open();
    return waitForState(*bt.link, LinkState::Connected, timeoutMs);
  }

  DeviceLink& link() { return *bt.link; }

  SimProcess sim;
  QString address;
  bool added = false;
  BluetoothLink bt;
  Messages messages;
};

}  // namespace bluetoothtest
