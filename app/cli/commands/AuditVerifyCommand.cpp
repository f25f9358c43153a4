#include "cli/commands/AuditVerifyCommand.h"

#include "cli/commands/AuditCommandSupport.h"
#include "store/AuditVerifier.h"

#include <QJsonArray>

namespace tautband::cli {

CommandSpec AuditVerifyCommand::spec() const {
  return CommandSpec{
      .path = {QStringLiteral("audit"), QStringLiteral("verify")},
      .summary = QStringLiteral("Verify the audit trail's hash chain, checkpoints and signatures."),
      .description = QStringLiteral(
          "Recomputes every entry's BLAKE2b hash and link, checks every checkpoint against the chain, the latest "
          "checkpoint's Ed25519 signature (all of them with --all-signatures) and the signed head kept beside the "
          "database. Exit 0 intact, 1 tampered (names the first bad sequence and what is wrong), 2 cannot read. "
          "The check itself is recorded in the audit trail unless --no-record."),
      .options = {storeopts::db(),
                  QCommandLineOption(QStringLiteral("pubkey"),
                                     QStringLiteral("Console public key file (hex); repeatable. Default: the data "
                                                    "directory's console-ed25519.pub."),
                                     QStringLiteral("FILE")),
                  QCommandLineOption(QStringLiteral("all-signatures"), QStringLiteral("Check every checkpoint's signature.")),
                  QCommandLineOption(QStringLiteral("head"),
                                     QStringLiteral("External signed head file (default: <db>.audit-head)."),
                                     QStringLiteral("FILE")),
                  QCommandLineOption(QStringLiteral("no-record"),
                                     QStringLiteral("Do not append an audit entry for this check (forensic copies)."))},
      .positionals = {},
  };
}

int AuditVerifyCommand::run(const QCommandLineParser& args, CommandContext& context) {
  store::StoreSettings settings = storeSettingsFrom(args, context);
  if (args.isSet(QStringLiteral("head"))) settings.headFile = args.value(QStringLiteral("head")).toStdString();

  store::VerifyOptions options;
  options.allSignatures = args.isSet(QStringLiteral("all-signatures"));
  options.headFile = settings.headFilePath();
  try {
    QStringList keyFiles = args.values(QStringLiteral("pubkey"));
    if (keyFiles.isEmpty()) {
      const auto defaultKey = context.dataDirectory() / store::ConsoleKey::kPublicKeyFile;
      if (std::filesystem::exists(defaultKey)) keyFiles << QString::fromStdString(defaultKey.string());
    }
    for (const QString& file : keyFiles) {
      const auto pk = store::ConsoleKey::readPublicKeyFile(file.toStdString());
      options.keys[store::ConsoleKey::consoleIdFor(pk)] = pk;
    }
  } catch (const std::exception& e) {
    throw CommandError(kExitUsage, QString::fromStdString(e.what()));
  }

  store::VerifyReport report;
  try {
    auto reader = store::AuditReader::open(settings);
    report = store::verifyAuditTrail(*reader, options);
  } catch (const std::exception& e) {
    throw CommandError(kExitUsage, QStringLiteral("cannot read the audit trail: %1").arg(QString::fromStdString(e.what())));
  }

  context.print(report.toJson(), report.toText());
  if (!args.isSet(QStringLiteral("no-record"))) {
    // Recorded after the report is out: a read-only copy still gets its verdict.
    try {
      auto store = store::Store::open(settings);
      const store::Actor actor = store::Actor::operatingSystemAccount();
      QJsonObject details{{"intact", report.intact()}, {"all_signatures", options.allSignatures}};
      if (report.firstProblem) {
        details[QStringLiteral("first_bad_sequence")] = static_cast<qint64>(report.firstProblem->sequence);
        details[QStringLiteral("kind")] = store::tamperKindName(report.firstProblem->kind);
      }
      store->audit()
          .append({actor.login, actor.role, QStringLiteral("audit.verified"), QStringLiteral("audit-trail"), details,
                   std::nullopt})
          .get();
    } catch (const std::exception& e) {
      context.err() << "warning: this check was not recorded in the audit trail: " << e.what() << "\n";
    }
  }
  return report.intact() ? kExitOk : kExitCheckFailed;
}

}  // namespace tautband::cli
