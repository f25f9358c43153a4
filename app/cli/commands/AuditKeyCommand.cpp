#include "cli/commands/AuditKeyCommand.h"

#include "store/ConsoleKey.h"

namespace tautband::cli {

CommandSpec AuditKeyCommand::spec() const {
  return CommandSpec{
      .path = {QStringLiteral("audit"), QStringLiteral("key")},
      .summary = QStringLiteral("Print the console's audit signing public key (hex) and console id."),
      .description = QStringLiteral("Hand the key to whoever verifies the audit trail (audit verify --pubkey FILE). "
                                    "The private key never leaves the data directory."),
      .options = {},
      .positionals = {},
  };
}

int AuditKeyCommand::run(const QCommandLineParser&, CommandContext& context) {
  try {
    const auto key = store::ConsoleKey::loadOrCreate(context.dataDirectory());
    const QString id = QString::fromStdString(key.consoleId());
    const QString file = QString::fromStdString((context.dataDirectory() / store::ConsoleKey::kPublicKeyFile).string());
    context.print(QJsonObject{{"console_id", id}, {"public_key", key.publicKeyHex()}, {"public_key_file", file}},
                  QStringLiteral("console %1\npublic key %2\n(file: %3)\n").arg(id, key.publicKeyHex(), file));
  } catch (const std::exception& e) {
    throw CommandError(kExitUsage, QString::fromStdString(e.what()));
  }
  return kExitOk;
}

}  // namespace tautband::cli
