#include "cli/CliApplication.h"

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
#include "core/BuildInfo.h"
#include "core/Logging.h"

#include <QCoreApplication>

#include <cstdio>

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
  dispatcher.add(std::make_unique<EmgRecordCommand>());
  dispatcher.add(std::make_unique<SdkConformanceCommand>());
  dispatcher.add(std::make_unique<EmgDetectCommand>());
  dispatcher.add(std::make_unique<SafetyRulesCommand>());
  dispatcher.add(std::make_unique<SafetyEvaluateCommand>());
}

int runCliApplication(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QCoreApplication::setApplicationName(QStringLiteral("tautband-cli"));
  QCoreApplication::setApplicationVersion(QString::fromLatin1(core::kVersion));
  core::routeQtMessagesToLog();

  Dispatcher dispatcher(QStringLiteral("tautband-cli"), QString::fromLatin1(core::kVersion));
  registerCommands(dispatcher);

  QTextStream out(stdout);
  QTextStream err(stderr);
  const int code = dispatcher.run(QCoreApplication::arguments().mid(1), out, err);
  core::flushLogs();
  return code;
}

}  // namespace tautband::cli
