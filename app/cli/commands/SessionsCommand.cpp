#include "cli/commands/SessionsCommand.h"

#include "cli/commands/AuditCommandSupport.h"
#include "report/Format.h"
#include "report/SessionReader.h"

#include <QJsonArray>

namespace tautband::cli {

CommandSpec SessionsCommand::spec() const {
  return CommandSpec{
      .path = {QStringLiteral("sessions")},
      .summary = QStringLiteral("List treatment sessions with their ids (newest first)."),
      .description = QStringLiteral("The ids are what `report --session` takes. The listing is recorded in the audit "
                                    "trail (session.list) as --user or the OS account."),
      .options = {storeopts::db(), storeopts::user()},
      .positionals = {},
  };
}

int SessionsCommand::run(const QCommandLineParser& args, CommandContext& context) {
  auto store = openStore(storeSettingsFrom(args, context));
  const store::Actor actor = resolveActor(args, context, *store);
  report::SessionReader reader(store->writer());
  std::vector<report::SessionSummary> sessions;
  try {
    sessions = reader.list(actor);
  } catch (const std::exception& e) {
    throw CommandError(kExitUsage, QStringLiteral("cannot list sessions: %1").arg(QString::fromStdString(e.what())));
  }
  QJsonArray list;
  QString text = QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                     .arg(QStringLiteral("id"), 5)
                     .arg(QStringLiteral("started (UTC)"), -23)
                     .arg(QStringLiteral("state"), -7)
                     .arg(QStringLiteral("length"), 7)
                     .arg(QStringLiteral("patient"), -28)
                     .arg(QStringLiteral("therapist"), -11)
                     .arg(QStringLiteral("sites/LTRs/doses"));
  for (const auto& s : sessions) {
    list.append(QJsonObject{{"id", s.id},
                            {"state", s.state},
                            {"started_utc", report::fmt::isoUtc(s.startedUs)},
                            {"duration_s", static_cast<double>(s.durationClockUs) / 1e6},
                            {"patient_mrn", s.patientMrn},
                            {"patient_name", s.patientName},
                            {"therapist", s.therapistLogin},
                            {"sites", s.sites},
                            {"ltrs", s.ltrs},
                            {"laser_doses", s.laserDoses}});
    text += QStringLiteral("%1  %2  %3  %4  %5  %6  %7/%8/%9\n")
                .arg(s.id, 5)
                .arg(report::fmt::utc(s.startedUs), -23)
                .arg(s.state, -7)
                .arg(report::fmt::duration(s.durationClockUs), 7)
                .arg((s.patientName + QStringLiteral(" (") + s.patientMrn + QStringLiteral(")")).left(28), -28)
                .arg(s.therapistLogin, -11)
                .arg(s.sites)
                .arg(s.ltrs)
                .arg(s.laserDoses);
  }
  if (sessions.empty()) text = QStringLiteral("No sessions.\n");
  context.print(QJsonObject{{"count", static_cast<qint64>(sessions.size())}, {"sessions", list}}, text);
  return kExitOk;
}

}  // namespace tautband::cli
