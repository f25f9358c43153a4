#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>

namespace tautband::cli {

// Exit codes shared by every subcommand (docs/CLI.md).
enum ExitCode : int {
  kExitOk = 0,
  kExitCheckFailed = 1,  // the command ran and what it checked is not ok
  kExitUsage = 2,        // bad usage or input the command cannot read
};

// Thrown by a command to end with a one-line message on stderr and an exit code.
class CommandError : public std::runtime_error {
 public:
  CommandError(ExitCode code, const QString& message)
      : std::runtime_error(message.toStdString()), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

struct PositionalArgument {
  QString name;
  QString description;
  bool required = true;
};

struct CommandSpec {
  QStringList path;  // e.g. {"devices", "list"}
  QString summary;   // one line for the command list
  QString description;
  QList<QCommandLineOption> options;
  QList<PositionalArgument> positionals;
};

// What a running command may use: its streams, the output mode and the data
// directory (created on first use, so --help never touches the disk).
class CommandContext {
 public:
  using DataDirResolver = std::function<std::filesystem::path()>;

  CommandContext(QTextStream& out, QTextStream& err, bool json, QStringList positionals,
                 DataDirResolver dataDirResolver)
      : out_(out), err_(err), json_(json), positionals_(std::move(positionals)),
        resolveDataDir_(std::move(dataDirResolver)) {}

  QTextStream& out() { return out_; }
  QTextStream& err() { return err_; }
  bool json() const { return json_; }
  const QStringList& positionals() const { return positionals_; }
  std::filesystem::path dataDirectory();

  // Prints the JSON form with --json, the human form otherwise.
  void print(const QJsonObject& json, const QString& text);

 private:
  QTextStream& out_;
  QTextStream& err_;
  bool json_;
  QStringList positionals_;
  DataDirResolver resolveDataDir_;
  std::optional<std::filesystem::path> dataDir_;
};

class Command {
 public:
  virtual ~Command() = default;
  virtual CommandSpec spec() const = 0;
  virtual int run(const QCommandLineParser& args, CommandContext& context) = 0;
};

}  // namespace tautband::cli
