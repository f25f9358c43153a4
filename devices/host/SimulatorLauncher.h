#pragma once

#include <QObject>
#include <QProcess>
#include <QString>

#include <map>
#include <memory>

namespace tautband::devices {

// Starts tautband-sim processes and reports their pty paths. The simulators
// are separate processes on the far side of a real pty, so the console uses
// its real serial path and a simulator can outlive a console crash the way
// a real device would. Stopped when this object goes.
class SimulatorLauncher : public QObject {
  Q_OBJECT
 public:
  explicit SimulatorLauncher(QString program, QObject* parent = nullptr);
  ~SimulatorLauncher() override;

  // tautband-sim next to this executable, else on PATH; empty when absent.
  static QString findProgram();

  const QString& program() const { return program_; }
  void start(const QString& kind, const QStringList& extraArguments = {});
  bool running(const QString& kind) const;

 signals:
  void ready(const QString& kind, const QString& ptyPath);
  void failed(const QString& kind, const QString& reason);

 private:
  QString program_;
  std::map<QString, std::unique_ptr<QProcess>> processes_;
};

}  // namespace tautband::devices
