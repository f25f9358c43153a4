#include "cli/commands/BackupCommand.h"

#include "cli/commands/AuditCommandSupport.h"
#include "store/Backup.h"
#include "store/Users.h"

namespace tautband::cli {

CommandSpec BackupCommand::spec() const {
  return CommandSpec{
      .path = {QStringLiteral("backup")},
      .summary = QStringLiteral("Copy the database consistently while the console runs (audited)."),
      .description = QStringLiteral("Uses the SQLite online backup API: the copy is one consistent snapshot even while "
                                    "another process writes. For PostgreSQL use pg_dump (docs/STORE.md)."),
      .options = {storeopts::db(),
                  QCommandLineOption(QStringLiteral("out"), QStringLiteral("Backup file to write."), QStringLiteral("FILE")),
                  storeopts::user()},
      .positionals = {},
  };
}

int BackupCommand::run(const QCommandLineParser& args, CommandContext& context) {
  const store::StoreSettings settings = storeSettingsFrom(args, context);
  if (settings.engine != store::Engine::Sqlite) {
    throw CommandError(kExitUsage, QStringLiteral("backup copies SQLite files; back up PostgreSQL with pg_dump"));
  }
  if (!args.isSet(QStringLiteral("out"))) throw CommandError(kExitUsage, QStringLiteral("--out FILE is required"));
  if (!std::filesystem::exists(settings.sqlitePath)) {
    throw CommandError(kExitUsage, QStringLiteral("database %1 does not exist").arg(settings.describe()));
  }
  auto store = openStore(settings);
  const store::Actor actor = resolveActor(args, context, *store);
  try {
    store::requirePermission(store->audit(), actor, store::Action::Backup, QStringLiteral("database"));
  } catch (const store::PermissionDenied& e) {
    throw CommandError(kExitCheckFailed, QString::fromStdString(e.what()));
  }
  const std::filesystem::path out = args.value(QStringLiteral("out")).toStdString();
  store::BackupResult result;
  try {
    result = store::backupSqlite(settings.sqlitePath, out);
  } catch (const std::exception& e) {
    store->audit()
        .append({actor.login, actor.role, QStringLiteral("store.backup-failed"), QStringLiteral("database"),
                 QJsonObject{{"out", QString::fromStdString(out.string())}, {"error", QString::fromStdString(e.what())}},
                 std::nullopt})
        .get();
    throw CommandError(kExitUsage, QString::fromStdString(e.what()));
  }
  const QString outText = QString::fromStdString(out.string());
  store->audit()
      .append({actor.login, actor.role, QStringLiteral("store.backup"), QStringLiteral("database"),
               QJsonObject{{"out", outText}, {"bytes", result.bytes}, {"blake2b", result.blake2bHex}}, std::nullopt})
      .get();
  context.print(QJsonObject{{"out", outText}, {"bytes", result.bytes}, {"blake2b", result.blake2bHex}},
                QStringLiteral("backup written to %1 (%2 bytes, BLAKE2b %3)\n").arg(outText).arg(result.bytes).arg(result.blake2bHex));
  return kExitOk;
}

}  // namespace tautband::cli
