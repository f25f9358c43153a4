#include "store/AuditQuery.h"

#include "store/Users.h"

#include <QJsonArray>
#include <QSqlQuery>

#include <thread>

namespace tautband::store {

std::future<std::vector<AuditRow>> queryAudit(StoreWriter& writer, Actor by, AuditQuery query) {
  if (!checkPermission(writer, by, Action::ViewAudit, QStringLiteral("audit-trail"))) {
    std::promise<std::vector<AuditRow>> denied;
    denied.set_exception(std::make_exception_ptr(PermissionDenied("viewing the audit trail needs a manager or admin")));
    return denied.get_future();
  }
  return writer.submit([by, query](WriteTransaction& tx) {
    QString sql = QStringLiteral("SELECT console_id, sequence, utc_us, session_clock_us, actor, role, action, subject, "
                                 "details FROM audit_entries WHERE 1=1");
    QVariantList binds;
    if (query.fromUs) {
      sql += QStringLiteral(" AND utc_us >= ?");
      binds << QVariant::fromValue<qint64>(*query.fromUs);
    }
    if (query.toUs) {
      sql += QStringLiteral(" AND utc_us <= ?");
      binds << QVariant::fromValue<qint64>(*query.toUs);
    }
    if (!query.actor.isEmpty()) {
      sql += QStringLiteral(" AND actor = ?");
      binds << query.actor;
    }
    if (!query.subject.isEmpty()) {
      sql += QStringLiteral(" AND subject = ?");
      binds << query.subject;
    }
    if (!query.actionPrefixes.isEmpty()) {
      QStringList ors;
      for (const QString& prefix : query.actionPrefixes) {
        // substr comparison instead of LIKE: '_' and '%' in a prefix stay literal.
        ors << QStringLiteral("substr(action, 1, %1) = ?").arg(prefix.size());
        binds << prefix;
      }
      sql += QStringLiteral(" AND (") + ors.join(QStringLiteral(" OR ")) + QLatin1Char(')');
    }
    sql += QStringLiteral(" ORDER BY utc_us DESC, sequence DESC LIMIT %1 OFFSET %2")
               .arg(std::clamp(query.limit, 1, 10000))
               .arg(std::max(query.offset, 0));
    std::vector<AuditRow> rows;
    QSqlQuery q = tx.exec(sql, binds);
    while (q.next()) {
      AuditRow r;
      r.consoleId = q.value(0).toString();
      r.sequence = q.value(1).toLongLong();
      r.utcUs = q.value(2).toLongLong();
      if (!q.isNull(3)) r.sessionClockUs = q.value(3).toLongLong();
      r.actor = q.value(4).toString();
      r.role = q.value(5).toString();
      r.action = q.value(6).toString();
      r.subject = q.value(7).toString();
      r.details = q.value(8).toString();
      rows.push_back(std::move(r));
    }
    tx.audit({by.login, by.role, QStringLiteral("audit.viewed"), QStringLiteral("audit-trail"),
              QJsonObject{{"actor_filter", query.actor},
                          {"subject_filter", query.subject},
                          {"actions", QJsonArray::fromStringList(query.actionPrefixes)},
                          {"rows", static_cast<qint64>(rows.size())}},
              std::nullopt});
    return rows;
  });
}

std::future<VerifyReport> verifyInBackground(StoreSettings settings, VerifyOptions options) {
  auto promise = std::make_shared<std::promise<VerifyReport>>();
  auto future = promise->get_future();
  std::thread([promise, settings = std::move(settings), options = std::move(options)]() {
    try {
      auto reader = AuditReader::open(settings);
      promise->set_value(verifyAuditTrail(*reader, options));
    } catch (...) {
      promise->set_exception(std::current_exception());
    }
  }).detach();
  return future;
}

}  // namespace tautband::store
