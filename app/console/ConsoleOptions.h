#pragma once

#include "core/CommonOptions.h"

#include <QStringList>

#include <optional>
#include <variant>

namespace tautband::console {

struct ConsoleOptions {
  std::optional<QString> dataDir;
  std::optional<std::string> logLevel;
  bool simulate = false;
  QString screenshotPath;             // empty: no screenshot
  std::optional<int> quitAfterMs;     // counted from the first drawn frame
  bool printStartupTime = false;
  QString initialPage;                // --page: open on this page (login by default)
  QStringList pluginDirs;             // --plugin-dir, repeatable
  QString database;                   // --db: SQLite path or postgresql:// URL; empty = <data dir>/tautband.db
};

// What the command line asks for: run, or print something and exit.
struct ParseOutcome {
  std::optional<ConsoleOptions> options;  // set when the console should start
  int exitCode = 0;
  QString output;  // text for stdout (help, version) or stderr (error)
  bool outputIsError = false;
};

ParseOutcome parseConsoleArguments(const QStringList& arguments);

}  // namespace tautband::console
