#include "devices/sim/Pty.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace tautband::devices::sim {

std::unique_ptr<Pty> Pty::open(QString& error) {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (master < 0) {
    error = QStringLiteral("posix_openpt: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
    return nullptr;
  }
  if (::grantpt(master) != 0 || ::unlockpt(master) != 0) {
    error = QStringLiteral("grantpt/unlockpt: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
    ::close(master);
    return nullptr;
  }
  char name[128] = {};
  if (::ptsname_r(master, name, sizeof name) != 0) {
    error = QStringLiteral("ptsname: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
    ::close(master);
    return nullptr;
  }
  const int slave = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) {
    error = QStringLiteral("open %1: %2")
                .arg(QString::fromLocal8Bit(name), QString::fromLocal8Bit(std::strerror(errno)));
    ::close(master);
    return nullptr;
  }
  // Raw: no echo, no line discipline, no CR/LF translation; binary frames pass untouched.
  termios tio{};
  ::tcgetattr(slave, &tio);
  ::cfmakeraw(&tio);
  ::tcsetattr(slave, TCSANOW, &tio);
  return std::unique_ptr<Pty>(new Pty(master, slave, QString::fromLocal8Bit(name)));
}

Pty::~Pty() {
  ::close(master_);
  ::close(slave_);
}

}  // namespace tautband::devices::sim
