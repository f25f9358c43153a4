#include "cli/commands/InfoCommand.h"

#include "core/BuildInfo.h"
#include "core/DataDirectory.h"

#include <QSysInfo>

namespace tautband::cli {

CommandSpec InfoCommand::spec() const {
  return CommandSpec{
      .path = {QStringLiteral("info")},
      .summary = QStringLiteral("Show the version, data directory and log file."),
      .description = QStringLiteral("Creates the data directory (mode 0700) if it does not exist."),
      .options = {},
      .positionals = {},
  };
}

int InfoCommand::run(const QCommandLineParser&, CommandContext& context) {
  const auto dataDir = context.dataDirectory();
  const auto logFile = core::DataDirectory::logDirectory(dataDir) / "tautband.log";
  const QString version = QString::fromLatin1(core::kVersion);
  const QString qtVersion = QString::fromLatin1(qVersion());
  const QString dataDirText = QString::fromStdString(dataDir.string());
  const QString logFileText = QString::fromStdString(logFile.string());
  const QString platform = QSysInfo::prettyProductName();

  context.print(QJsonObject{{"version", version},
                            {"data_dir", dataDirText},
                            {"log_file", logFileText},
                            {"qt_version", qtVersion},
                            {"platform", platform}},
                QStringLiteral("Tautband %1\nData directory: %2\nLog file:       %3\nQt:             "
                               "%4\nPlatform:       %5\n")
                    .arg(version, dataDirText, logFileText, qtVersion, platform));
  return kExitOk;
}

}  // namespace tautband::cli
