#include "cli/CliApplication.h"

#include "cli/commands/DevicesBluetoothCommands.h"
#include "cli/commands/DevicesCommands.h"
#include "cli/commands/SdkConformanceCommand.h"
#include "cli/commands/EmgDetectCommand.h"
#include "cli/commands/InfoCommand.h"
#include "cli/commands/AuditVerifyCommand.h"
#include "cli/commands/AuditExportCommand.h"
#include "cli/commands/BackupCommand.h"
#include "cli/commands/RestoreCommand.h"
#include "cli/commands/DemoCommand.h"
#include "cli/commands/AuditKeyCommand.h"
#include "cli/commands/SafetyCommands.h"
#include "cli/commands/ReportCommand.h"
#include "cli/commands/SessionsCommand.h"
#include "cli/commands/SettingsCommands.h"
#include "core/BuildInfo.h"
#include "core/Logging.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace tautband::cli {

void registerCommands(Dispatcher& dispatcher) {
  dispatcher.add(std::make_unique<InfoCommand>());
  dispatcher.add(std::make_unique<AuditVerifyCommand>());
  dispatcher.add(std::make_unique<AuditExportCommand>());
  dispatcher.add(std::make_unique<BackupCommand>());
  dispatcher.add(std::make_unique<RestoreCommand>());
  dispatcher.add(std::make_unique<DemoCommand>());
  dispatcher.add(std::make_unique<AuditKeyCommand>());
  dispatcher.add(std::make_unique<DevicesListCommand>());
  dispatcher.add(std::make_unique<DevicesProbeCommand>());
  dispatcher.add(std::make_unique<DevicesPairCommand>());
  dispatcher.add(std::make_unique<DevicesForgetCommand>());
  dispatcher.add(std::make_unique<EmgRecordCommand>());
  dispatcher.add(std::make_unique<SdkConformanceCommand>());
  dispatcher.add(std::make_unique<EmgDetectCommand>());
  dispatcher.add(std::make_unique<SafetyRulesCommand>());
  dispatcher.add(std::make_unique<SafetyEvaluateCommand>());
  dispatcher.add(std::make_unique<ReportCommand>());
  dispatcher.add(std::make_unique<SessionsCommand>());
  registerSettingsCommands(dispatcher);
}

int runCliApplication(int argc, char** argv) {
  // `report` draws PDFs with Qt's PDF writer, which needs a QGuiApplication; the
  // offscreen platform keeps it headless. Every other command stays GUI-free.
  // QGuiApplication also takes "--session <id>" (X11 session management) out of
  // argv, so the command line is read before it is built.
  QStringList arguments;
  for (int i = 1; i < argc; ++i) arguments << QString::fromLocal8Bit(argv[i]);
  const bool needsGui = std::any_of(argv + 1, argv + argc, [](const char* a) { return qstrcmp(a, "report") == 0; });
  if (needsGui && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  std::unique_ptr<QCoreApplication> app = needsGui ? std::make_unique<QGuiApplication>(argc, argv)
                                                   : std::make_unique<QCoreApplication>(argc, argv);
  QCoreApplication::setApplicationName(QStringLiteral("tautband-cli"));
  QCoreApplication::setApplicationVersion(QString::fromLatin1(core::kVersion));
  core::routeQtMessagesToLog();

  Dispatcher dispatcher(QStringLiteral("tautband-cli"), QString::fromLatin1(core::kVersion));
  registerCommands(dispatcher);

  QTextStream out(stdout);
  QTextStream err(stderr);
  const int code = dispatcher.run(arguments, out, err);
  core::flushLogs();
  return code;
}

}  // namespace tautband::cli
