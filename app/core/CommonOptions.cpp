#include "core/CommonOptions.h"

#include "core/DataDirectory.h"
#include "core/Logging.h"

namespace tautband::core {

CommonOptions::CommonOptions()
    : dataDirOption_(QStringLiteral("data-dir"),
                     QStringLiteral("Data directory (default $XDG_DATA_HOME/tautband)."),
                     QStringLiteral("path")),
      logLevelOption_(QStringLiteral("log-level"),
                      QStringLiteral("trace, debug, info, warn, error, critical or off "
                                     "(default $TAUTBAND_LOG_LEVEL, else info)."),
                      QStringLiteral("level")) {}

void CommonOptions::addTo(QCommandLineParser& parser) const {
  parser.addOption(dataDirOption_);
  parser.addOption(logLevelOption_);
}

std::optional<QString> CommonOptions::dataDir(const QCommandLineParser& parser) const {
  if (!parser.isSet(dataDirOption_)) return std::nullopt;
  return parser.value(dataDirOption_);
}

std::optional<std::string> CommonOptions::logLevel(const QCommandLineParser& parser) const {
  if (!parser.isSet(logLevelOption_)) return std::nullopt;
  return parser.value(logLevelOption_).toStdString();
}

std::filesystem::path CommonOptions::apply(const QCommandLineParser& parser) const {
  LoggingSettings settings;
  settings.level = logLevel(parser);
  settings.stderrLevel = stderrLevel(parser);
  configureLogging(settings);  // console only, so directory errors can be logged

  const auto dir = DataDirectory::resolve(dataDir(parser));
  DataDirectory::ensureExists(dir);
  settings.logDirectory = DataDirectory::logDirectory(dir);
  configureLogging(settings);
  return dir;
}

}  // namespace tautband::core
