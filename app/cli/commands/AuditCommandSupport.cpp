#include "cli/commands/AuditCommandSupport.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace tautband::cli {

store::StoreSettings storeSettingsFrom(const QCommandLineParser& args, CommandContext& context) {
  const QString db = args.value(QStringLiteral("db"));
  return store::StoreSettings::fromLocation(db, context.dataDirectory());
}

std::unique_ptr<store::Store> openStore(const store::StoreSettings& settings) {
  try {
    return store::Store::open(settings);
  } catch (const std::exception& e) {
    throw CommandError(kExitUsage, QString::fromStdString(e.what()));
  }
}

namespace {
QString readPassword(CommandContext& context) {
  const QByteArray fromEnv = qgetenv("TAUTBAND_PASSWORD");
  if (!fromEnv.isEmpty()) return QString::fromUtf8(fromEnv);
  if (!::isatty(STDIN_FILENO)) throw CommandError(kExitUsage, QStringLiteral("no password: set TAUTBAND_PASSWORD"));
  context.err() << "Password: ";
  context.err().flush();
  termios old{};
  ::tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
  ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::string line;
  std::getline(std::cin, line);
  ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
  context.err() << "\n";
  return QString::fromStdString(line);
}
}  // namespace

store::Actor resolveActor(const QCommandLineParser& args, CommandContext& context, store::Store& store) {
  if (!args.isSet(QStringLiteral("user"))) return store::Actor::operatingSystemAccount();
  const QString login = args.value(QStringLiteral("user"));
  const auto result = store.users().authenticate(login, readPassword(context)).get();
  if (!result.ok()) {
    throw CommandError(kExitUsage,
                       QStringLiteral("login as %1 failed: %2").arg(login, store::authStatusName(result.status)));
  }
  return result.user->actor();
}

}  // namespace tautband::cli
