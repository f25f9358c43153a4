#pragma once

#include "devices/sim/EmgModel.h"
#include "devices/sim/LaserModel.h"
#include "devices/sim/Pty.h"
#include "tautband/protocols/Framing.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSocketNotifier>
#include <QTimer>

#include <memory>
#include <optional>

namespace tautband::devices::sim {

struct SimulatorOptions {
  bool json = false;
  QString linkPath;       // stable symlink to the current pty, like /dev/serial/by-id
  double ltrEverySeconds = 0;
};

// Runs one simulated device on a pty: reads and decodes the host's frames,
// drives the device model every millisecond, frames and writes its replies,
// and applies the faults injected on stdin (drop, corrupt, stall,
// disconnect, slow, interlock, key, fault, ltr).
class SimulatorHost : public QObject {
  Q_OBJECT
 public:
  SimulatorHost(std::unique_ptr<LaserModel> laser, std::unique_ptr<EmgModel> emg, SimulatorOptions options,
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
  void send(std::vector<proto::Envelope>& messages);
  void writeFrame(std::vector<std::uint8_t>& frame);
  std::int64_t nowUs() const { return clock_.nsecsElapsed() / 1000; }
  std::int64_t outputNowUs() const;

  std::unique_ptr<LaserModel> laser_;
  std::unique_ptr<EmgModel> emg_;
  SimulatorOptions options_;
  const EventPrinter& events_;
  std::unique_ptr<Pty> pty_;
  std::unique_ptr<QSocketNotifier> readNotifier_;
  QSocketNotifier stdinNotifier_;
  QTimer tick_;
  QElapsedTimer clock_;
  protocols::FrameDecoder decoder_;
  proto::Envelope incoming_;
  std::vector<proto::Envelope> outgoing_;
  std::vector<std::uint8_t> frameBuffer_;
  QByteArray stdinBuffer_;

  int dropFrames_ = 0;
  bool corruptNext_ = false;
  std::int64_t stalledUntilUs_ = 0;
  double slowFactor_ = 1.0;
  std::int64_t slowAnchorRealUs_ = 0;
  std::int64_t slowAnchorDeviceUs_ = 0;
  std::int64_t nextLtrUs_ = 0;
  std::uint64_t overruns_ = 0;
};

}  // namespace tautband::devices::sim
