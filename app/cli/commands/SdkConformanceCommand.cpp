#include "cli/commands/SdkConformanceCommand.h"

#include "devices/host/Conformance.h"
#include "devices/host/SimulatorLauncher.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

namespace tautband::cli {
namespace {

const QCommandLineOption kPlugin(QStringLiteral("plugin"), QStringLiteral("The driver plugin (.so) to check."),
                                 QStringLiteral("file"));
const QCommandLineOption kPort(QStringLiteral("port"), QStringLiteral("The device's port."), QStringLiteral("path"));
const QCommandLineOption kSim(QStringLiteral("sim"),
                              QStringLiteral("Start tautband-sim <kind> and test against it (laser, emg, cyton, "
                                             "bitalino, scpi-laser)."),
                              QStringLiteral("kind"));
const QCommandLineOption kBaud(QStringLiteral("baud"), QStringLiteral("Baud rate (default: the manifest's)."),
                               QStringLiteral("n"), QStringLiteral("0"));
const QCommandLineOption kSettings(QStringLiteral("settings"), QStringLiteral("Driver settings JSON (default {})."),
                                   QStringLiteral("json"), QStringLiteral("{}"));

}  // namespace

CommandSpec SdkConformanceCommand::spec() const {
  return {{QStringLiteral("sdk"), QStringLiteral("conformance")},
          QStringLiteral("Check a driver plugin against its device or a simulator; exit 0 only if every mandatory "
                         "check passes."),
          QStringLiteral("Checks: API version, manifest, handshake, stream or status, emission-off accepted, keep-alive "
                         "accepted, firmware watchdog (reported), recovery after garbage/truncated/oversize input, "
                         "bounded time per call under a fuzz burst, throughput (reported)."),
          {kPlugin, kPort, kSim, kBaud, kSettings},
          {}};
}

int SdkConformanceCommand::run(const QCommandLineParser& args, CommandContext& context) {
  devices::ConformanceOptions options;
  options.pluginPath = args.value(kPlugin);
  if (options.pluginPath.isEmpty()) throw CommandError(kExitUsage, QStringLiteral("--plugin is required"));
  if (!QFileInfo::exists(options.pluginPath)) {
    throw CommandError(kExitUsage, QStringLiteral("no such file: %1").arg(options.pluginPath));
  }
  if (args.isSet(kPort) == args.isSet(kSim)) throw CommandError(kExitUsage, QStringLiteral("give --port or --sim"));
  bool ok = false;
  options.baud = args.value(kBaud).toInt(&ok);
  if (!ok || options.baud < 0) throw CommandError(kExitUsage, QStringLiteral("--baud needs a number"));
  options.settingsJson = args.value(kSettings).toStdString();
  if (!QJsonDocument::fromJson(args.value(kSettings).toUtf8()).isObject()) {
    throw CommandError(kExitUsage, QStringLiteral("--settings must be a JSON object"));
  }

  std::unique_ptr<devices::SimulatorLauncher> launcher;
  if (args.isSet(kSim)) {
    launcher = std::make_unique<devices::SimulatorLauncher>(devices::SimulatorLauncher::findProgram());
    QEventLoop loop;
    QString failure;
    QObject::connect(launcher.get(), &devices::SimulatorLauncher::ready, &loop, [&](const QString&, const QString& path) {
      options.port = path;
      loop.quit();
    });
    QObject::connect(launcher.get(), &devices::SimulatorLauncher::failed, &loop, [&](const QString&, const QString& why) {
      failure = why;
      loop.quit();
    });
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    launcher->start(args.value(kSim));
    loop.exec();
    if (options.port.isEmpty()) {
      throw CommandError(kExitUsage, failure.isEmpty() ? QStringLiteral("the simulator did not start") : failure);
    }
  } else {
    options.port = args.value(kPort);
    if (!QFileInfo::exists(options.port)) throw CommandError(kExitUsage, QStringLiteral("no such port: %1").arg(options.port));
  }

  const auto report = devices::runConformance(options);
  QJsonArray checks;
  QString text = QStringLiteral("Conformance of %1 (%2) on %3\n\n")
                     .arg(report.driverId.isEmpty() ? QStringLiteral("?") : report.driverId, report.pluginPath, report.port);
  for (const auto& c : report.checks) {
    checks.append(QJsonObject{{"id", c.id},
                              {"title", c.title},
                              {"mandatory", c.mandatory},
                              {"result", devices::conformanceResultName(c.result).toLower()},
                              {"detail", c.detail}});
    text += QStringLiteral("  %1  %2%3\n        %4\n")
                .arg(devices::conformanceResultName(c.result).leftJustified(5), c.title,
                     c.mandatory ? QString() : QStringLiteral(" (informational)"), c.detail);
  }
  text += report.passed() ? QStringLiteral("\nPASS: every mandatory check passed.\n")
                          : QStringLiteral("\nFAIL: at least one mandatory check failed.\n");
  context.print(QJsonObject{{"plugin", report.pluginPath},
                            {"driver", report.driverId},
                            {"port", report.port},
                            {"checks", checks},
                            {"pass", report.passed()}},
                text);
  return report.passed() ? kExitOk : kExitCheckFailed;
}

}  // namespace tautband::cli
