#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>

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

 private:
  QCommandLineOption dataDirOption_;
  QCommandLineOption logLevelOption_;
};

}  // namespace tautband::core
