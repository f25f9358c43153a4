#pragma once

#include "cli/Command.h"
#include "core/CommonOptions.h"

#include <memory>
#include <vector>

namespace tautband::cli {

// Finds the subcommand named by the leading words of the command line,
// parses its options (in any order, mixed with the global ones) and runs it.
class Dispatcher {
 public:
  Dispatcher(QString programName, QString version);

  void add(std::unique_ptr<Command> command);

  // arguments excludes the program name. Returns the process exit code.
  int run(const QStringList& arguments, QTextStream& out, QTextStream& err);

 private:
  struct Entry {
    CommandSpec spec;
    std::unique_ptr<Command> command;
  };

  QStringList commandWords(const QStringList& arguments) const;
  const Entry* findCommand(const QStringList& words, int& matchedWords) const;
  QStringList subcommandsOf(const QStringList& prefix) const;
  QString generalHelp() const;
  QString commandHelp(const CommandSpec& spec) const;
  QString groupHelp(const QStringList& prefix) const;
  int usageError(QTextStream& err, const QString& message, const QStringList& helpPath) const;

  QString programName_;
  QString version_;
  core::CommonOptions commonOptions_;
  QList<QCommandLineOption> globalOptions_;
  std::vector<Entry> entries_;
};

}  // namespace tautband::cli
