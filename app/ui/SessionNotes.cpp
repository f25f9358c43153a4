#include "ui/SessionNotes.h"

#include "store/StoreWriter.h"
#include "store/Database.h"
#include "store/Users.h"

#include <QJsonObject>
#include <QSqlQuery>

namespace tautband::ui {

std::future<SessionNotesSnapshot> readSessionNotes(store::StoreWriter& writer, const store::Actor& by,
                                                   qint64 sessionId) {
  const QString subject = QStringLiteral("session:%1").arg(sessionId);
  if (!store::checkPermission(writer, by, store::Action::ReadPatient, subject)) {
    std::promise<SessionNotesSnapshot> refused;
    refused.set_exception(std::make_exception_ptr(store::PermissionDenied("your role may not read session notes")));
    return refused.get_future();
  }
  return writer.submit([by, sessionId, subject](store::WriteTransaction& tx) {
    SessionNotesSnapshot out;
    const auto author = [](const QSqlQuery& q, int name, int login) {
      const QString display = q.value(name).toString();
      return display.isEmpty() ? q.value(login).toString() : display;
    };
    QSqlQuery q = tx.exec(QStringLiteral("SELECT n.id, u.display_name, u.login, n.recorded_us, n.body FROM notes n "
                                         "LEFT JOIN users u ON u.id = n.author_id WHERE n.session_id = ? ORDER BY n.id"),
                          {sessionId});
    while (q.next())
      out.notes.push_back({q.value(0).toLongLong(), author(q, 1, 2), q.value(3).toLongLong(), {}, q.value(4).toString()});
    q = tx.exec(QStringLiteral("SELECT a.id, u.display_name, u.login, a.recorded_us, a.reason, a.body FROM addenda a "
                               "LEFT JOIN users u ON u.id = a.author_id WHERE a.session_id = ? ORDER BY a.id"),
                {sessionId});
    while (q.next())
      out.addenda.push_back({q.value(0).toLongLong(), author(q, 1, 2), q.value(3).toLongLong(), q.value(4).toString(),
                             q.value(5).toString()});
    q = tx.exec(QStringLiteral("SELECT u.display_name, u.login, s.signed_us FROM signoffs s "
                               "LEFT JOIN users u ON u.id = s.user_id WHERE s.session_id = ?"),
                {sessionId});
    if (q.next()) {
      out.signedBy = author(q, 0, 1);
      out.signedUs = q.value(2).toLongLong();
    }
    tx.audit({by.login, by.role, QStringLiteral("note.read"), subject,
              QJsonObject{{"notes", static_cast<qint64>(out.notes.size())},
                          {"addenda", static_cast<qint64>(out.addenda.size())}},
              std::nullopt});
    return out;
  });
}

}  // namespace tautband::ui
