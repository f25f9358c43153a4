#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>

#include <spdlog/common.h>

#include <filesystem>
#include <optional>
#include <string>

namespace tautband::core {

// Options every Tautband executable accepts: --data-dir and --log-level.
class CommonOptions {
 public:
  CommonOptions();

  QList<QCommandLineOption> options() const { return {dataDirOption_, logLevelOption_}; }
  void addTo(QCommandLineParser& parser) const;

  // Reads the values from a parser that has processed the arguments.
  std::optional<QString> dataDir(const QCommandLineParser& parser) const;
  std::optional<std::string> logLevel(const QCommandLineParser& parser) const;

  // Resolves and creates the data directory, then configures logging with a
  // rotating file inside it. Returns the data directory. Throws with a message
  // for the user on a bad level or an unusable directory.
  std::filesystem::path apply(const QCommandLineParser& parser) const;

  // Without --log-level, stderr shows only this level and above.
  void setQuietStderr(spdlog::level::level_enum level) { quietStderr_ = level; }
  std::optional<spdlog::level::level_enum> stderrLevel(const QCommandLineParser& parser) const {
    return logLevel(parser) ? std::nullopt : quietStderr_;
  }

 private:
  QCommandLineOption dataDirOption_;
  QCommandLineOption logLevelOption_;
  std::optional<spdlog::level::level_enum> quietStderr_;
};

}  // namespace tautband::core
