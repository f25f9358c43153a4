#include "devices/sim/SimulatorHost.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <unistd.h>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tautband::devices::sim {

SimulatorHost::SimulatorHost(std::unique_ptr<DeviceFirmware> firmware, SimulatorOptions options,
                             const EventPrinter& events)
    : firmware_(std::move(firmware)),
      options_(std::move(options)),
      events_(events),
      stdinNotifier_(STDIN_FILENO, QSocketNotifier::Read) {
  clock_.start();
  tick_.setTimerType(Qt::PreciseTimer);
  tick_.setInterval(1);
  connect(&tick_, &QTimer::timeout, this, &SimulatorHost::onTick);
  connect(&stdinNotifier_, &QSocketNotifier::activated, this, &SimulatorHost::onStdin);
  if (options_.ltrEverySeconds > 0) nextLtrUs_ = static_cast<std::int64_t>(options_.ltrEverySeconds * 1e6);
}

SimulatorHost::~SimulatorHost() {
  closePty();
  if (!options_.linkPath.isEmpty()) QFile::remove(options_.linkPath);
}

bool SimulatorHost::openPty(QString& error) {
  pty_ = Pty::open(error);
  if (!pty_) return false;
  if (!options_.linkPath.isEmpty()) {
    // Replace the stable link atomically, as udev does for /dev/serial/by-id.
    const QString temp = options_.linkPath + QStringLiteral(".new");
    QFile::remove(temp);
    if (::symlink(qPrintable(pty_->slavePath()), qPrintable(temp)) != 0 ||
        ::rename(qPrintable(temp), qPrintable(options_.linkPath)) != 0) {
      error = QStringLiteral("cannot create link %1: %2")
                  .arg(options_.linkPath, QString::fromLocal8Bit(strerror(errno)));
      return false;
    }
  }
  readNotifier_ = std::make_unique<QSocketNotifier>(pty_->masterFd(), QSocketNotifier::Read);
  connect(readNotifier_.get(), &QSocketNotifier::activated, this, &SimulatorHost::onReadable);
  // What the firmware sends on connect (the native sync byte) bypasses fault injection.
  FirmwareOutput hello;
  firmware_->onConnect(time(), hello);
  for (std::size_t i = 0; i < hello.units(); ++i) write(hello.unit(i));
  return true;
}

void SimulatorHost::closePty() {
  readNotifier_.reset();
  pty_.reset();
  fifo_.clear();  // unplugged: whatever the device had queued is gone
  fifoHead_ = 0;
}

bool SimulatorHost::start(QString& error) {
  if (!openPty(error)) return false;
  if (options_.json) {
    QJsonObject first{
        {"path", pty_->slavePath()}, {"kind", firmware_->kind()}, {"pid", static_cast<qint64>(::getpid())}};
    if (!options_.linkPath.isEmpty()) first.insert(QStringLiteral("link"), options_.linkPath);
    std::printf("%s\n", QJsonDocument(first).toJson(QJsonDocument::Compact).constData());
  } else {
    std::printf("%s\n", qPrintable(pty_->slavePath()));
  }
  std::fflush(stdout);
  tick_.start();
  return true;
}

std::int64_t SimulatorHost::outputNowUs() const {
  return slowAnchorDeviceUs_ +
         static_cast<std::int64_t>(static_cast<double>(nowUs() - slowAnchorRealUs_) / slowFactor_);
}

void SimulatorHost::onReadable() {
  if (!pty_) return;
  if (nowUs() < stalledUntilUs_) {
    readNotifier_->setEnabled(false);  // re-enabled when the stall ends
    return;
  }
  std::uint8_t buffer[4096];
  for (;;) {
    const ssize_t n = ::read(pty_->masterFd(), buffer, sizeof buffer);
    if (n <= 0) break;
    firmware_->onBytes(std::span<const std::uint8_t>(buffer, static_cast<std::size_t>(n)), time(), output_);
  }
  send(output_);
}

void SimulatorHost::onTick() {
  const auto now = nowUs();
  if (readNotifier_ && !readNotifier_->isEnabled() && now >= stalledUntilUs_) readNotifier_->setEnabled(true);
  if (nextLtrUs_ > 0 && now >= nextLtrUs_) {
    firmware_->injectLtr();
    // ±20 % jitter so LTRs do not lock to any other period.
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    nextLtrUs_ = now + static_cast<std::int64_t>(options_.ltrEverySeconds * 1e6 * jitter);
  }
  flush();
  firmware_->tick(time(), output_);
  send(output_);
}

void SimulatorHost::send(FirmwareOutput& output) {
  const bool stalled = nowUs() < stalledUntilUs_;
  for (std::size_t i = 0; i < output.units(); ++i) {
    if (!pty_ || stalled) continue;
    if (dropUnits_ > 0) {
      --dropUnits_;
      continue;
    }
    auto unit = output.unit(i);
    if (corruptNext_ && unit.size() > 2) {
      corruptNext_ = false;
      firmware_->corrupt(unit);
    }
    write(unit);
  }
  output.clear();
}

void SimulatorHost::write(std::span<const std::uint8_t> unit) {
  // A device's output FIFO: what the pty cannot take now waits here, whole
  // units only, as a USB device's buffer would. When the FIFO is full the
  // unit is lost, like a device overrun, and the host sees the gap.
  if (fifo_.size() + unit.size() > kFifoBytes) {
    ++overruns_;
    return;
  }
  fifo_.insert(fifo_.end(), unit.begin(), unit.end());
  flush();
}

void SimulatorHost::flush() {
  while (pty_ && fifoHead_ < fifo_.size()) {
    const ssize_t n = ::write(pty_->masterFd(), fifo_.data() + fifoHead_, fifo_.size() - fifoHead_);
    if (n > 0) {
      fifoHead_ += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // the host is not reading right now; the tick tries again
    }
  }
  if (fifoHead_ == fifo_.size()) {
    fifo_.clear();
    fifoHead_ = 0;
  } else if (fifoHead_ > (1u << 20)) {
    fifo_.erase(fifo_.begin(), fifo_.begin() + static_cast<std::ptrdiff_t>(fifoHead_));
    fifoHead_ = 0;
  }
}

void SimulatorHost::onStdin() {
  char buffer[1024];
  const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
  if (n <= 0) {
    stdinNotifier_.setEnabled(false);  // stdin closed: keep running until killed
    return;
  }
  stdinBuffer_.append(buffer, static_cast<qsizetype>(n));
  qsizetype newline;
  while ((newline = stdinBuffer_.indexOf('\n')) >= 0) {
    const QString line = QString::fromUtf8(stdinBuffer_.left(newline)).trimmed();
    stdinBuffer_.remove(0, newline + 1);
    if (line.isEmpty()) continue;
    if (const auto error = command(line)) events_.print(QStringLiteral("error"), {{"message", *error}});
  }
}

std::optional<QString> SimulatorHost::command(const QString& line) {
  const QStringList words = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
  const QString verb = words.value(0);
  const QString arg = words.value(1);
  const auto now = nowUs();
  auto number = [&](double& value) {
    bool ok = false;
    value = arg.toDouble(&ok);
    return ok && value >= 0;
  };
  double value = 0;
  if (verb == QLatin1String("drop") && number(value)) {
    dropUnits_ = static_cast<int>(value);
  } else if (verb == QLatin1String("corrupt")) {
    corruptNext_ = true;
  } else if (verb == QLatin1String("stall") && number(value)) {
    stalledUntilUs_ = now + static_cast<std::int64_t>(value * 1000);
  } else if (verb == QLatin1String("slow") && number(value) && value >= 1) {
    slowAnchorDeviceUs_ = outputNowUs();
    slowAnchorRealUs_ = now;
    slowFactor_ = value;
    firmware_->setSlowFactor(value);
  } else if (verb == QLatin1String("disconnect")) {
    closePty();
    QString error;
    if (!openPty(error)) return error;
    events_.print(QStringLiteral("reconnected"), {{"path", pty_->slavePath()}});
  } else if (verb == QLatin1String("quit")) {
    QCoreApplication::quit();
  } else {
    const auto outcome = firmware_->command(verb, arg, time(), output_);
    if (outcome.status == CommandOutcome::Failed) return outcome.message;
    if (outcome.status == CommandOutcome::Unknown) return QStringLiteral("unknown command '%1'").arg(line);
  }
  QJsonObject ok{{"command", line}};
  if (verb == QLatin1String("stall")) {
    // When the device went quiet, on the host's monotonic clock
    // (std::chrono::steady_clock): a bench times the console's link-loss
    // detection from here, not from when its own (maybe starved) thread wrote "stall".
    ok.insert(QStringLiteral("steady_ns"),
              static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                      std::chrono::steady_clock::now().time_since_epoch())
                                      .count()));
  }
  events_.print(QStringLiteral("ok"), ok);
  send(output_);
  return std::nullopt;
}

}  // namespace tautband::devices::sim
