#pragma once

#include "devices/sim/DeviceFirmware.h"
#include "devices/sim/Pty.h"
#include "devices/sim/SimEvents.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSocketNotifier>
#include <QTimer>

#include <memory>
#include <optional>

namespace tautband::devices::sim {

struct SimulatorOptions {
  bool json = false;
  QString linkPath;  // stable symlink to the current pty, like /dev/serial/by-id
  double ltrEverySeconds = 0;
};

// Runs one simulated device on a pty: hands the host's bytes to the device
// firmware (any byte protocol: DeviceFirmware), ticks it every millisecond,
// writes what it sends, and applies the faults injected on stdin (drop N
// units, corrupt the next unit, stall, disconnect, slow; the firmware adds
// its own: interlock, key, fault, clear, ltr).
class SimulatorHost : public QObject {
  Q_OBJECT
 public:
  SimulatorHost(std::unique_ptr<DeviceFirmware> firmware, SimulatorOptions options,
                const EventPrinter& events);
  ~SimulatorHost() override;

  // Creates the pty and prints its path as the first line. False on error.
  bool start(QString& error);
  // Executes one stdin command; returns a message for an unknown one.
  std::optional<QString> command(const QString& line);

 private:
  bool openPty(QString& error);
  void closePty();
  void onReadable();
  void onTick();
  void onStdin();
  void send(FirmwareOutput& output);
  void write(std::span<const std::uint8_t> unit);
  void flush();
  std::int64_t nowUs() const { return clock_.nsecsElapsed() / 1000; }
  std::int64_t outputNowUs() const;
  SimTime time() const { return {nowUs(), outputNowUs()}; }

  std::unique_ptr<DeviceFirmware> firmware_;
  SimulatorOptions options_;
  const EventPrinter& events_;
  std::unique_ptr<Pty> pty_;
  std::unique_ptr<QSocketNotifier> readNotifier_;
  QSocketNotifier stdinNotifier_;
  QTimer tick_;
  QElapsedTimer clock_;
  FirmwareOutput output_;
  QByteArray stdinBuffer_;

  int dropUnits_ = 0;
  bool corruptNext_ = false;
  std::int64_t stalledUntilUs_ = 0;
  double slowFactor_ = 1.0;
  std::int64_t slowAnchorRealUs_ = 0;
  std::int64_t slowAnchorDeviceUs_ = 0;
  std::int64_t nextLtrUs_ = 0;
  std::uint64_t overruns_ = 0;
  // About 3 s of the fastest stream (16 ch x 48 kHz).
  static constexpr std::size_t kFifoBytes = 4u << 20;
  std::vector<std::uint8_t> fifo_;
  std::size_t fifoHead_ = 0;
};

}  // namespace tautband::devices::sim
