#include "cli/commands/AuditExportCommand.h"

#include "cli/commands/AuditCommandSupport.h"
#include "store/AuditExport.h"

#include <QFile>

namespace tautband::cli {

CommandSpec AuditExportCommand::spec() const {
  return CommandSpec{
      .path = {QStringLiteral("audit"), QStringLiteral("export")},
      .summary = QStringLiteral("Export audit entries as CSV or JSON."),
      .description = QStringLiteral("Times are UTC. --from/--to take an ISO date (2026-01-31) or date-time; --to is "
                                    "inclusive. The export is recorded in the audit trail."),
      .options = {storeopts::db(),
                  QCommandLineOption(QStringLiteral("format"), QStringLiteral("csv or json."), QStringLiteral("FORMAT")),
                  QCommandLineOption(QStringLiteral("from"), QStringLiteral("First UTC date/time."), QStringLiteral("WHEN")),
                  QCommandLineOption(QStringLiteral("to"), QStringLiteral("Last UTC date/time."), QStringLiteral("WHEN")),
                  QCommandLineOption(QStringLiteral("user"), QStringLiteral("Only entries by this login."),
                                     QStringLiteral("LOGIN")),
                  QCommandLineOption(QStringLiteral("out"), QStringLiteral("Write to FILE instead of stdout."),
                                     QStringLiteral("FILE"))},
      .positionals = {},
  };
}

int AuditExportCommand::run(const QCommandLineParser& args, CommandContext& context) {
  const QString format = args.value(QStringLiteral("format"));
  if (format != QLatin1String("csv") && format != QLatin1String("json")) {
    throw CommandError(kExitUsage, QStringLiteral("--format must be csv or json"));
  }
  store::AuditExportFilter filter;
  try {
    if (args.isSet(QStringLiteral("from"))) filter.fromUs = store::parseUtcBound(args.value(QStringLiteral("from")), false);
    if (args.isSet(QStringLiteral("to"))) filter.toUs = store::parseUtcBound(args.value(QStringLiteral("to")), true);
  } catch (const std::exception& e) {
    throw CommandError(kExitUsage, QString::fromStdString(e.what()));
  }
  if (args.isSet(QStringLiteral("user"))) filter.actor = args.value(QStringLiteral("user"));

  const store::StoreSettings settings = storeSettingsFrom(args, context);
  store::AuditExportResult result;
  try {
    result = store::exportAudit(settings, filter,
                                format == QLatin1String("csv") ? store::ExportFormat::Csv : store::ExportFormat::Json);
  } catch (const std::exception& e) {
    throw CommandError(kExitUsage, QStringLiteral("cannot export: %1").arg(QString::fromStdString(e.what())));
  }
  if (args.isSet(QStringLiteral("out"))) {
    QFile f(args.value(QStringLiteral("out")));
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(result.bytes) != result.bytes.size()) {
      throw CommandError(kExitUsage, QStringLiteral("cannot write %1").arg(f.fileName()));
    }
  } else {
    context.out() << QString::fromUtf8(result.bytes);
    context.out().flush();
  }
  auto store = openStore(settings);
  const store::Actor actor = store::Actor::operatingSystemAccount();
  store->audit()
      .append({actor.login, actor.role, QStringLiteral("audit.exported"), QStringLiteral("audit-trail"),
               QJsonObject{{"format", format},
                           {"entries", static_cast<qint64>(result.entries)},
                           {"actor_filter", filter.actor},
                           {"from_us", filter.fromUs ? QJsonValue(static_cast<qint64>(*filter.fromUs)) : QJsonValue()},
                           {"to_us", filter.toUs ? QJsonValue(static_cast<qint64>(*filter.toUs)) : QJsonValue()}},
               std::nullopt})
      .get();
  if (args.isSet(QStringLiteral("out"))) {
    context.print(QJsonObject{{"entries", static_cast<qint64>(result.entries)}, {"out", args.value(QStringLiteral("out"))}},
                  QStringLiteral("%1 entries written to %2\n").arg(result.entries).arg(args.value(QStringLiteral("out"))));
  }
  return kExitOk;
}

}  // namespace tautband::cli
