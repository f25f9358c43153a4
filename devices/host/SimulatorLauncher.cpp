#include "devices/host/SimulatorLauncher.h"

#include "core/Logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace tautband::devices {

SimulatorLauncher::SimulatorLauncher(QString program, QObject* parent) : QObject(parent), program_(std::move(program)) {}

SimulatorLauncher::~SimulatorLauncher() {
  for (auto& [kind, process] : processes_) {
    process->disconnect(this);
    process->terminate();
    if (!process->waitForFinished(1000)) process->kill();
    process->waitForFinished(1000);
  }
}

QString SimulatorLauncher::findProgram() {
  const QString beside = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("tautband-sim"));
  if (QFileInfo(beside).isExecutable()) return beside;
  return QStandardPaths::findExecutable(QStringLiteral("tautband-sim"));
}

bool SimulatorLauncher::running(const QString& kind) const {
  const auto it = processes_.find(kind);
  return it != processes_.end() && it->second->state() != QProcess::NotRunning;
}

void SimulatorLauncher::start(const QString& kind, const QStringList& extraArguments) {
  if (program_.isEmpty()) {
    emit failed(kind, QStringLiteral("tautband-sim was not found next to the console or on PATH"));
    return;
  }
  if (running(kind)) return;
  auto process = std::make_unique<QProcess>();
  process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
  auto* raw = process.get();
  connect(raw, &QProcess::readyReadStandardOutput, this, [this, raw, kind] {
    // Only the first line matters to the console: the pty path. Later lines
    // are the simulator's own event log, kept in ours at debug level.
    while (raw->canReadLine()) {
      const QByteArray line = raw->readLine().trimmed();
      const auto json = QJsonDocument::fromJson(line).object();
      if (json.contains(QStringLiteral("path")) && json.contains(QStringLiteral("kind"))) {
        emit ready(kind, json.value(QStringLiteral("path")).toString());
      } else {
        core::logger(core::subsystem::kDevices)->debug("sim {}: {}", kind.toStdString(), line.toStdString());
      }
    }
  });
  connect(raw, &QProcess::errorOccurred, this, [this, raw, kind](QProcess::ProcessError) {
    emit failed(kind, QStringLiteral("simulator %1: %2").arg(kind, raw->errorString()));
  });
  connect(raw, &QProcess::finished, this, [this, kind](int code, QProcess::ExitStatus) {
    emit failed(kind, QStringLiteral("simulator %1 exited with code %2").arg(kind).arg(code));
  });
  process->start(program_, QStringList{kind, QStringLiteral("--json")} + extraArguments);
  core::logger(core::subsystem::kDevices)->info("starting simulator: {} {}", program_.toStdString(), kind.toStdString());
  processes_[kind] = std::move(process);
}

}  // namespace tautband::devices
