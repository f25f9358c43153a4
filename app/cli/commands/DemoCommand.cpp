#include "cli/commands/DemoCommand.h"

#include "cli/commands/AuditCommandSupport.h"
#include "cli/commands/DemoClinic.h"

#include <QJsonArray>


namespace tautband::cli {

CommandSpec DemoCommand::spec() const {
  return CommandSpec{
      .path = {QStringLiteral("demo")},
      .summary = QStringLiteral("Build a demo clinic (users, patients, sessions) and print the demo logins."),
      .description = QStringLiteral(
          "Writes through the same store API the console uses: users and credentials, devices, a power check, "
          "eyewear, patients with screening and consent, and several signed sessions with needles, twitch "
          "responses, laser doses, refusals, acknowledgements and a supervisor approval. Needs a database without "
          "users. --minutes sets the latest session's length (default 20)."),
      .options = {storeopts::db(),
                  QCommandLineOption(QStringLiteral("minutes"), QStringLiteral("Length of the latest session."),
                                     QStringLiteral("N"), QStringLiteral("20")),
                  QCommandLineOption(QStringLiteral("seed"), QStringLiteral("Random seed."), QStringLiteral("S"),
                                     QStringLiteral("1"))},
      .positionals = {},
  };
}

int DemoCommand::run(const QCommandLineParser& args, CommandContext& context) {
  bool ok = false;
  const int minutes = args.value(QStringLiteral("minutes")).toInt(&ok);
  if (!ok || minutes < 1 || minutes > 240) throw CommandError(kExitUsage, QStringLiteral("--minutes must be 1..240"));
  const uint seed = args.value(QStringLiteral("seed")).toUInt(&ok);
  if (!ok) throw CommandError(kExitUsage, QStringLiteral("--seed must be a non-negative integer"));
  auto store = openStore(storeSettingsFrom(args, context));
  if (store->users().hasAnyUser().get()) {
    throw CommandError(kExitUsage, QStringLiteral("the database already has users; demo needs a new database"));
  }
  try {
    const DemoSummary s = buildDemoClinic(*store, minutes, seed);
    QJsonArray logins;
    QString text = QStringLiteral("Demo clinic written to %1: %2 sessions, %3 needles, %4 twitch responses, %5 laser "
                                  "doses.\n\nDemo logins (demo only):\n")
                       .arg(store->settings().describe())
                       .arg(s.sessions).arg(s.needles).arg(s.ltrs).arg(s.doses);
    for (const DemoUserLogin& u : demoLogins()) {
      logins.append(QJsonObject{{"login", u.login}, {"password", u.password}, {"role", u.role}});
      text += QStringLiteral("  %1  %2  (%3)\n").arg(u.login, -11).arg(u.password, -22).arg(u.role);
    }
    context.print(QJsonObject{{"db", store->settings().describe()}, {"sessions", s.sessions}, {"needles", s.needles},
                              {"ltrs", s.ltrs}, {"laser_doses", s.doses}, {"logins", logins}},
                  text);
  } catch (const std::exception& e) {
    throw CommandError(kExitUsage, QStringLiteral("demo failed: %1").arg(QString::fromStdString(e.what())));
  }
  return kExitOk;
}

}  // namespace tautband::cli
