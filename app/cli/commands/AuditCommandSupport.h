#pragma once

#include "cli/Command.h"
#include "store/Access.h"
#include "store/Store.h"

#include <QCommandLineOption>

#include <memory>

namespace tautband::cli {

// Shared by the audit, backup and restore commands: where the database is and
// who is acting.
namespace storeopts {
inline QCommandLineOption db() {
  return QCommandLineOption(QStringLiteral("db"),
                            QStringLiteral("SQLite file or postgresql:// URL (default: tautband.db in the data dir)."),
                            QStringLiteral("PATH"));
}
inline QCommandLineOption user() {
  return QCommandLineOption(QStringLiteral("user"),
                            QStringLiteral("Act as this user (password from TAUTBAND_PASSWORD or a prompt); "
                                           "default: the local OS account, audited as such."),
                            QStringLiteral("LOGIN"));
}
}  // namespace storeopts

store::StoreSettings storeSettingsFrom(const QCommandLineParser& args, CommandContext& context);

// Opens the store read-write (creates the console key on first use).
std::unique_ptr<store::Store> openStore(const store::StoreSettings& settings);

// The acting user: --user (authenticated, audited) or the OS account.
store::Actor resolveActor(const QCommandLineParser& args, CommandContext& context, store::Store& store);

}  // namespace tautband::cli
