#include "console/ConsoleOptions.h"

#include "supervisor/RealtimeScheduling.h"

#include "core/BuildInfo.h"

#include <QCommandLineParser>

namespace tautband::console {

ParseOutcome parseConsoleArguments(const QStringList& arguments) {
  core::CommonOptions common;
  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Tautband console for dry needling and low-level laser therapy."));
  const auto helpOption = parser.addHelpOption();
  const QCommandLineOption versionOption(QStringLiteral("version"),
                                         QStringLiteral("Show the version and exit."));
  const QCommandLineOption simulateOption(
      QStringLiteral("simulate"), QStringLiteral("Start simulated laser and EMG devices and connect to them."));
  const QCommandLineOption screenshotOption(
      QStringLiteral("screenshot"), QStringLiteral("Save the window as a PNG to <file> and quit: at the first frame, or with --quit-after just before quitting."),
      QStringLiteral("file"));
  const QCommandLineOption quitAfterOption(
      QStringLiteral("quit-after"), QStringLiteral("Quit <ms> milliseconds after the first frame is drawn."),
      QStringLiteral("ms"));
  const QCommandLineOption startupTimeOption(
      QStringLiteral("print-startup-time"),
      QStringLiteral("Print 'first-frame <ms>' on stdout when the first frame is drawn (for benchmarks)."));
  const QCommandLineOption pageOption(
      QStringLiteral("page"),
      QStringLiteral("Open on <page>: login, patient, bodymap, needling, laser, summary, audit or devices."),
      QStringLiteral("page"));
  const QCommandLineOption pluginDirOption(QStringLiteral("plugin-dir"),
                                           QStringLiteral("Also load driver plugins from <dir> (repeatable)."),
                                           QStringLiteral("dir"));
  const QCommandLineOption databaseOption(
      QStringLiteral("db"),
      QStringLiteral("The clinic database: a SQLite file or a postgresql://user@host:port/db URL for the clinic "
                     "server (default: tautband.db in the data directory)."),
      QStringLiteral("location"));
  parser.addOption(versionOption);
  parser.addOption(pageOption);
  parser.addOption(databaseOption);
  parser.addOption(pluginDirOption);
  common.addTo(parser);
  parser.addOption(simulateOption);
  parser.addOption(screenshotOption);
  parser.addOption(quitAfterOption);
  parser.addOption(startupTimeOption);

  ParseOutcome outcome;
  if (!parser.parse(arguments)) {
    outcome.exitCode = 2;
    outcome.outputIsError = true;
    outcome.output = QStringLiteral("tautband: %1 (see 'tautband --help')\n").arg(parser.errorText());
    return outcome;
  }
  if (parser.isSet(helpOption)) {
    outcome.output = parser.helpText().replace(QStringLiteral("<executable_name>"), QStringLiteral("tautband"));
    return outcome;
  }
  if (parser.isSet(versionOption)) {
    // A manager checking a kiosk sees at once whether the laser's safety thread gets
    // real-time scheduling here (docs/SAFETY.md "Timing and scheduling").
    outcome.output = QStringLiteral("tautband %1\nlaser safety supervisor: %2\n")
                         .arg(QString::fromLatin1(core::kVersion),
                              QString::fromStdString(supervisor::probeSafetyThreadScheduling().describe()));
    return outcome;
  }
  if (!parser.positionalArguments().isEmpty()) {
    outcome.exitCode = 2;
    outcome.outputIsError = true;
    outcome.output = QStringLiteral("tautband: unexpected argument '%1' (see 'tautband --help')\n")
                         .arg(parser.positionalArguments().first());
    return outcome;
  }

  ConsoleOptions options;
  options.dataDir = common.dataDir(parser);
  options.logLevel = common.logLevel(parser);
  options.simulate = parser.isSet(simulateOption);
  options.screenshotPath = parser.value(screenshotOption);
  options.printStartupTime = parser.isSet(startupTimeOption);
  options.initialPage = parser.value(pageOption);
  options.pluginDirs = parser.values(pluginDirOption);
  options.database = parser.value(databaseOption);
  if (parser.isSet(databaseOption) && options.database.trimmed().isEmpty()) {
    outcome.exitCode = 2;
    outcome.outputIsError = true;
    outcome.output = QStringLiteral("tautband: --db needs a SQLite path or a postgresql:// URL\n");
    return outcome;
  }
  static const QStringList kPages{"login", "patient", "bodymap", "needling", "laser", "summary", "audit", "devices"};
  if (!options.initialPage.isEmpty() && !kPages.contains(options.initialPage)) {
    outcome.exitCode = 2;
    outcome.outputIsError = true;
    outcome.output = QStringLiteral("tautband: unknown --page '%1' (one of %2)\n")
                         .arg(options.initialPage, kPages.join(QStringLiteral(", ")));
    return outcome;
  }
  if (parser.isSet(quitAfterOption)) {
    bool ok = false;
    const int ms = parser.value(quitAfterOption).toInt(&ok);
    if (!ok || ms < 0) {
      outcome.exitCode = 2;
      outcome.outputIsError = true;
      outcome.output = QStringLiteral("tautband: --quit-after needs a number of milliseconds >= 0, got '%1'\n")
                           .arg(parser.value(quitAfterOption));
      return outcome;
    }
    options.quitAfterMs = ms;
  }
  outcome.options = options;
  return outcome;
}

}  // namespace tautband::console
