#pragma once

#include <QString>

#include <memory>

namespace tautband::devices::sim {

// A pseudo-terminal pair for a simulator: the simulator works the master
// side; the console opens the slave path like any serial port. The slave is
// kept open here (in raw mode) so that the console closing and reopening it
// never makes the master see a hang-up.
class Pty {
 public:
  // Returns nullptr with error set when the system has no free pty.
  static std::unique_ptr<Pty> open(QString& error);
  ~Pty();
  Pty(const Pty&) = delete;
  Pty& operator=(const Pty&) = delete;

  int masterFd() const { return master_; }
  const QString& slavePath() const { return slavePath_; }

 private:
  Pty(int master, int slave, QString slavePath)
      : master_(master), slave_(slave), slavePath_(std::move(slavePath)) {}
  int master_;
  int slave_;
  QString slavePath_;
};

}  // namespace tautband::devices::sim
