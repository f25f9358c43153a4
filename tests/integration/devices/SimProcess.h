#pragma once

// Runs tautband-sim as a real process for tests and benchmarks: reads its
// first line (the pty), sends stdin commands and waits for its JSON events.

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>

#include <optional>

class SimProcess {
 public:
  explicit SimProcess(QStringList args) {
    process_.setProcessChannelMode(QProcess::SeparateChannels);
    process_.start(QStringLiteral(TAUTBAND_SIM), args << QStringLiteral("--json"));
    if (!process_.waitForStarted(5000)) return;
    if (auto first = nextLine(5000)) path_ = first->value(QStringLiteral("path")).toString();
  }
  ~SimProcess() {
    if (process_.state() != QProcess::NotRunning) {
      process_.kill();
      process_.waitForFinished(5000);
    }
  }

  const QString& path() const { return path_; }
  QProcess& process() { return process_; }

  void command(const QString& line) {
    process_.write((line + QLatin1Char('\n')).toUtf8());
    process_.waitForBytesWritten(1000);
  }

  // The next JSON line on stdout, or nullopt at the deadline.
  std::optional<QJsonObject> nextLine(int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (true) {
      const auto newline = buffer_.indexOf('\n');
      if (newline >= 0) {
        const QByteArray line = buffer_.left(newline);
        buffer_.remove(0, newline + 1);
        return QJsonDocument::fromJson(line).object();
      }
      // Output read into QProcess while the caller's event loop ran (e.g. in a
      // wait for a state) is already here: waitForReadyRead would wait for MORE.
      if (process_.bytesAvailable() > 0) {
        buffer_ += process_.readAllStandardOutput();
        continue;
      }
      const auto left = timeoutMs - timer.elapsed();
      if (left <= 0) return std::nullopt;
      // Short waits with the caller's event loop running in between: tests
      // keep timers (e.g. a GUI heartbeat) alive while they wait here.
      if (!process_.waitForReadyRead(static_cast<int>(std::min<qint64>(left, 10)))) {
        if (process_.state() == QProcess::NotRunning) return std::nullopt;
        QCoreApplication::processEvents();
        continue;
      }
      buffer_ += process_.readAllStandardOutput();
    }
  }

  // Waits for an event with the given name (and, when set, a matching field).
  std::optional<QJsonObject> waitFor(const QString& event, int timeoutMs, const QString& key = {},
                                     const QJsonValue& value = {}) {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
      const auto line = nextLine(static_cast<int>(timeoutMs - timer.elapsed()));
      if (!line) return std::nullopt;
      if (line->value(QStringLiteral("event")).toString() != event) continue;
      if (!key.isEmpty() && line->value(key) != value) continue;
      return line;
    }
    return std::nullopt;
  }

 private:
  QProcess process_;
  QString path_;
  QByteArray buffer_;
};
