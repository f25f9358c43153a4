// Test helper standing in for the console's safety thread until the safety
// supervisor exists: connects to a laser, starts emission, and sends
// keep-alives every 50 ms through the link's safety write path from its own
// thread. Prints "emitting" once the laser's status says so. Tests stop or
// kill this process and watch the simulator's own watchdog end emission.
#include "devices/native/NativeSerialLink.h"

#include <QCoreApplication>
#include <QTimer>

#include <atomic>
#include <cstdio>
#include <thread>

using namespace tautband::devices;

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s PTY\n", argv[0]);
    return 2;
  }
  auto link = makeNativeSerialLink(QStringLiteral("client"), QString::fromLocal8Bit(argv[1]), 115200);
  std::atomic<bool> running{true};
  std::thread keepAlive;
  bool reported = false;
  QObject::connect(link.get(), &DeviceLink::identified, &app, [&](const proto::DeviceInfo&) {
    auto send = [&](std::uint32_t id, auto&& fill) {
      proto::Envelope e;
      e.mutable_laser_command()->set_request_id(id);
      fill(*e.mutable_laser_command());
      link->send(e);
    };
    send(1, [](auto& c) { c.mutable_set_power()->set_power_mw(200); });
    send(2, [](auto& c) { c.mutable_arm()->set_armed(true); });
    send(3, [](auto& c) { c.mutable_emit_on(); });
    auto path = link->safetyPath();
    keepAlive = std::thread([path, &running] {
      while (running) {
        path->sendKeepAlive();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  });
  QObject::connect(link.get(), &DeviceLink::messageReceived, &app,
                   [&](const std::shared_ptr<const proto::Envelope>& m) {
                     if (!reported && m->has_laser_status() &&
                         m->laser_status().emission() == proto::EMISSION_STATE_EMITTING) {
                       reported = true;
                       std::printf("emitting\n");
                       std::fflush(stdout);
                     }
                   });
  link->open();
  const int code = app.exec();
  running = false;
  if (keepAlive.joinable()) keepAlive.join();
  return code;
}
