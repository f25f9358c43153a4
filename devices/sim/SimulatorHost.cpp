#include "devices/sim/SimulatorHost.h"

#include "tautband/protocols/Envelope.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <cerrno>
#include <cstdio>
#include <unistd.h>

namespace tautband::devices::sim {
namespace {

std::optional<proto::FaultCode> parseFaultCode(const QString& text) {
  bool ok = false;
  const int number = text.toInt(&ok);
  if (ok) return proto::FaultCode_IsValid(number) || number >= 1000 ? std::optional(static_cast<proto::FaultCode>(number))
                                                                      : std::nullopt;
  proto::FaultCode code;
  const QString name = text.toUpper().startsWith(QStringLiteral("FAULT_CODE_")) ? text.toUpper()
                                                                               : QStringLiteral("FAULT_CODE_") + text.toUpper();
  if (proto::FaultCode_Parse(name.toStdString(), &code)) return code;
  return std::nullopt;
}

}  // namespace

SimulatorHost::SimulatorHost(std::unique_ptr<LaserModel> laser, std::unique_ptr<EmgModel> emg, SimulatorOptions options,
                             const EventPrinter& events)
    : laser_(std::move(laser)), emg_(std::move(emg)), options_(std::move(options)), events_(events),
      stdinNotifier_(STDIN_FILENO, QSocketNotifier::Read) {
  clock_.start();
  tick_.setTimerType(Qt::PreciseTimer);
  tick_.setInterval(1);
  connect(&tick_, &QTimer::timeout, this, &SimulatorHost::onTick);
  connect(&stdinNotifier_, &QSocketNotifier::activated, this, &SimulatorHost::onStdin);
  frameBuffer_.reserve(protocols::kMaxEncodedFrameBytes + 1);
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
      error = QStringLiteral("cannot create link %1: %2").arg(options_.linkPath, QString::fromLocal8Bit(strerror(errno)));
      return false;
    }
  }
  readNotifier_ = std::make_unique<QSocketNotifier>(pty_->masterFd(), QSocketNotifier::Read);
  connect(readNotifier_.get(), &QSocketNotifier::activated, this, &SimulatorHost::onReadable);
  decoder_.reset();
  // A sync byte first, so a host that was mid-frame starts clean.
  frameBuffer_.assign(1, 0x00);
  writeFrame(frameBuffer_);
  return true;
}

void SimulatorHost::closePty() {
  readNotifier_.reset();
  pty_.reset();
}

bool SimulatorHost::start(QString& error) {
  if (!openPty(error)) return false;
  const QString kind = laser_ ? QStringLiteral("laser") : QStringLiteral("emg");
  if (options_.json) {
    QJsonObject first{{"path", pty_->slavePath()}, {"kind", kind}, {"pid", static_cast<qint64>(::getpid())}};
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
  return slowAnchorDeviceUs_ + static_cast<std::int64_t>(static_cast<double>(nowUs() - slowAnchorRealUs_) / slowFactor_);
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
    decoder_.feed(std::span<const std::uint8_t>(buffer, static_cast<std::size_t>(n)),
                  [this](std::span<const std::uint8_t> payload) {
                    if (protocols::parseEnvelope(payload, incoming_)) return;  // malformed: ignored, as firmware would
                    if (laser_) laser_->handle(incoming_, nowUs(), outgoing_);
                    if (emg_) emg_->handle(incoming_, outputNowUs(), outgoing_);
                  });
  }
  send(outgoing_);
}

void SimulatorHost::onTick() {
  const auto now = nowUs();
  if (readNotifier_ && !readNotifier_->isEnabled() && now >= stalledUntilUs_) readNotifier_->setEnabled(true);
  if (laser_) laser_->tick(now, outgoing_);
  if (emg_) {
    if (nextLtrUs_ > 0 && now >= nextLtrUs_) {
      emg_->injectLtr();
      // ±20 % jitter so LTRs do not lock to any other period.
      const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
      nextLtrUs_ = now + static_cast<std::int64_t>(options_.ltrEverySeconds * 1e6 * jitter);
    }
    emg_->produce(outputNowUs(), outgoing_);
  }
  send(outgoing_);
}

void SimulatorHost::send(std::vector<proto::Envelope>& messages) {
  const bool stalled = nowUs() < stalledUntilUs_;
  for (const auto& message : messages) {
    if (!pty_ || stalled) continue;
    if (dropFrames_ > 0) {
      --dropFrames_;
      continue;
    }
    frameBuffer_.clear();
    if (!protocols::appendEnvelopeFrame(message, frameBuffer_)) continue;
    if (corruptNext_ && frameBuffer_.size() > 2) {
      corruptNext_ = false;
      auto& byte = frameBuffer_[frameBuffer_.size() / 2];
      byte = byte == 0x01 ? 0x02 : 0x01;  // never 0x00: keep the frame boundary, break the CRC
    }
    writeFrame(frameBuffer_);
  }
  messages.clear();
}

void SimulatorHost::writeFrame(std::vector<std::uint8_t>& frame) {
  std::size_t done = 0;
  while (done < frame.size()) {
    const ssize_t n = ::write(pty_->masterFd(), frame.data() + done, frame.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    // The host is not reading: a real device's buffer would overflow too.
    // Finish the frame with a delimiter so the host can resync, and count it.
    ++overruns_;
    const std::uint8_t zero = 0;
    if (done > 0) (void)::write(pty_->masterFd(), &zero, 1);
    return;
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
    dropFrames_ = static_cast<int>(value);
  } else if (verb == QLatin1String("corrupt")) {
    corruptNext_ = true;
  } else if (verb == QLatin1String("stall") && number(value)) {
    stalledUntilUs_ = now + static_cast<std::int64_t>(value * 1000);
  } else if (verb == QLatin1String("slow") && number(value) && value >= 1) {
    slowAnchorDeviceUs_ = outputNowUs();
    slowAnchorRealUs_ = now;
    slowFactor_ = value;
    if (laser_) laser_->setStatusPeriodUs(static_cast<std::int64_t>(50'000 * value));
  } else if (verb == QLatin1String("disconnect")) {
    closePty();
    QString error;
    if (!openPty(error)) return error;
    events_.print(QStringLiteral("reconnected"), {{"path", pty_->slavePath()}});
  } else if (laser_ && verb == QLatin1String("interlock") && (arg == QLatin1String("open") || arg == QLatin1String("closed"))) {
    laser_->setInterlockClosed(arg == QLatin1String("closed"), now, outgoing_);
  } else if (laser_ && verb == QLatin1String("key") && (arg == QLatin1String("on") || arg == QLatin1String("off"))) {
    laser_->setKeyOn(arg == QLatin1String("on"), now, outgoing_);
  } else if (laser_ && verb == QLatin1String("fault")) {
    const auto code = parseFaultCode(arg);
    if (!code) return QStringLiteral("unknown fault code '%1'").arg(arg);
    laser_->raiseFault(*code, "injected fault", now, outgoing_);
  } else if (laser_ && verb == QLatin1String("clear")) {
    laser_->clearFaults(now, outgoing_);
  } else if (emg_ && verb == QLatin1String("ltr")) {
    emg_->injectLtr();
  } else if (verb == QLatin1String("quit")) {
    QCoreApplication::quit();
  } else {
    return QStringLiteral("unknown command '%1'").arg(line);
  }
  events_.print(QStringLiteral("ok"), {{"command", line}});
  send(outgoing_);
  return std::nullopt;
}

}  // namespace tautband::devices::sim
