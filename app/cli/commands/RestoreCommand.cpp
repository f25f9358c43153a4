#include "cli/commands/RestoreCommand.h"

#include "cli/commands/AuditCommandSupport.h"
#include "store/AuditHeadFile.h"
#include "store/AuditVerifier.h"
#include "store/Backup.h"
#include "store/Users.h"

#include <QDateTime>

namespace tautband::cli {

CommandSpec RestoreCommand::spec() const {
  return CommandSpec{
      .path = {QStringLiteral("restore")},
      .summary = QStringLiteral("Replace the database with a backup (verified first; audited)."),
      .description = QStringLiteral(
          "Stop the console first. The backup's audit trail must verify (--force restores a damaged one anyway, and "
          "says so in the audit). The old external head is kept as <head>.before-restore-<time>, and the restore "
          "entry names the head that was rolled back."),
      .options = {storeopts::db(),
                  QCommandLineOption(QStringLiteral("from"), QStringLiteral("Backup file."), QStringLiteral("FILE")),
                  QCommandLineOption(QStringLiteral("force"), QStringLiteral("Restore even if the backup does not verify.")),
                  storeopts::user()},
      .positionals = {},
  };
}

int RestoreCommand::run(const QCommandLineParser& args, CommandContext& context) {
  const store::StoreSettings settings = storeSettingsFrom(args, context);
  if (settings.engine != store::Engine::Sqlite) {
    throw CommandError(kExitUsage, QStringLiteral("restore handles SQLite files; restore PostgreSQL with pg_restore"));
  }
  if (!args.isSet(QStringLiteral("from"))) throw CommandError(kExitUsage, QStringLiteral("--from FILE is required"));
  const std::filesystem::path from = args.value(QStringLiteral("from")).toStdString();

  // 1. The backup must be readable and (unless --force) intact.
  store::StoreSettings backupSettings = settings;
  backupSettings.sqlitePath = from;
  store::VerifyReport report;
  QString backupHash;
  try {
    auto reader = store::AuditReader::open(backupSettings);
    store::VerifyOptions options;
    const auto keyFile = context.dataDirectory() / store::ConsoleKey::kPublicKeyFile;
    if (std::filesystem::exists(keyFile)) {
      const auto pk = store::ConsoleKey::readPublicKeyFile(keyFile);
      options.keys[store::ConsoleKey::consoleIdFor(pk)] = pk;
    }
    report = store::verifyAuditTrail(*reader, options);
    backupHash = store::hashFile(from);
  } catch (const std::exception& e) {
    throw CommandError(kExitUsage, QStringLiteral("cannot read backup: %1").arg(QString::fromStdString(e.what())));
  }
  const bool force = args.isSet(QStringLiteral("force"));
  if (!report.intact() && !force) {
    throw CommandError(kExitCheckFailed,
                       QStringLiteral("the backup's audit trail does not verify (%1 at %2); not restoring")
                           .arg(store::tamperKindName(report.firstProblem->kind))
                           .arg(report.firstProblem->sequence));
  }

  // 2. Who: authenticated before anything changes (against the current database when it exists).
  store::Actor actor = store::Actor::operatingSystemAccount();
  if (args.isSet(QStringLiteral("user")) && std::filesystem::exists(settings.sqlitePath)) {
    auto current = openStore(settings);
    actor = resolveActor(args, context, *current);
    try {
      store::requirePermission(current->audit(), actor, store::Action::Restore, QStringLiteral("database"));
    } catch (const store::PermissionDenied& e) {
      throw CommandError(kExitCheckFailed, QString::fromStdString(e.what()));
    }
  }

  // 3. Keep the old head aside: after a restore the chain is legitimately shorter.
  QJsonObject previousHead;
  const auto headPath = settings.headFilePath();
  try {
    if (auto heads = store::readHeadFile(headPath)) {
      for (const auto& [id, h] : *heads) {
        previousHead[QString::fromStdString(id)] =
            QJsonObject{{"sequence", static_cast<qint64>(h.sequence)}, {"hash", store::toHex(h.hash)}};
      }
      const auto aside = headPath.string() + ".before-restore-" +
                         QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddTHHmmssZ")).toStdString();
      std::filesystem::rename(headPath, aside);
    }
  } catch (const std::exception& e) {
    throw CommandError(kExitUsage, QStringLiteral("cannot move the old audit head aside: %1").arg(e.what()));
  }

  try {
    store::restoreSqlite(from, settings.sqlitePath);
  } catch (const std::exception& e) {
    throw CommandError(kExitUsage, QString::fromStdString(e.what()));
  }
  auto store = openStore(settings);
  const QString fromText = QString::fromStdString(from.string());
  store->audit()
      .append({actor.login, actor.role, QStringLiteral("store.restored"), QStringLiteral("database"),
               QJsonObject{{"from", fromText},
                           {"blake2b", backupHash},
                           {"backup_intact", report.intact()},
                           {"forced", force},
                           {"previous_heads", previousHead}},
               std::nullopt})
      .get();
  store->writer().checkpoint(QStringLiteral("restore")).get();
  context.print(QJsonObject{{"restored_from", fromText}, {"backup_intact", report.intact()}},
                QStringLiteral("restored %1 from %2\n").arg(settings.describe(), fromText));
  return kExitOk;
}

}  // namespace tautband::cli
