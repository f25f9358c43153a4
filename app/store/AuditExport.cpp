#include "store/AuditExport.h"

#include "store/AuditRecord.h"
#include "store/Database.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace tautband::store {
namespace {

QString csvCell(QString v) {
  // Spreadsheet formula injection: a leading = + - @ would be evaluated.
  if (!v.isEmpty() && QStringLiteral("=+-@\t\r").contains(v.front())) v.prepend(QLatin1Char('\''));
  if (v.contains(QLatin1Char('"')) || v.contains(QLatin1Char(',')) || v.contains(QLatin1Char('\n')) ||
      v.contains(QLatin1Char('\r'))) {
    v.replace(QLatin1String("\""), QLatin1String("\"\""));
    v = QLatin1Char('"') + v + QLatin1Char('"');
  }
  return v;
}

}  // namespace

std::int64_t parseUtcBound(const QString& text, bool upper) {
  const QDate date = QDate::fromString(text, Qt::ISODate);
  if (date.isValid() && text.size() == 10) {
    const QDateTime start(date, QTime(0, 0), Qt::UTC);
    const qint64 ms = start.toMSecsSinceEpoch();
    return upper ? (ms + 86400000LL) * 1000 - 1 : ms * 1000;
  }
  QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
  if (!t.isValid()) throw StoreError("not an ISO date or date-time: " + text.toStdString());
  if (t.timeSpec() == Qt::LocalTime) t.setTimeSpec(Qt::UTC);
  return t.toMSecsSinceEpoch() * 1000 + (upper ? 999 : 0);
}

AuditExportResult exportAudit(const StoreSettings& settings, const AuditExportFilter& filter, ExportFormat format) {
  Connection c(settings, true);
  QString sql = QStringLiteral("SELECT console_id, sequence, utc_us, session_clock_us, actor, role, action, subject, "
                               "details, prev_hash, hash FROM audit_entries WHERE 1=1");
  QVariantList binds;
  if (filter.fromUs) {
    sql += QStringLiteral(" AND utc_us >= ?");
    binds << QVariant::fromValue<qint64>(*filter.fromUs);
  }
  if (filter.toUs) {
    sql += QStringLiteral(" AND utc_us <= ?");
    binds << QVariant::fromValue<qint64>(*filter.toUs);
  }
  if (!filter.actor.isEmpty()) {
    sql += QStringLiteral(" AND actor = ?");
    binds << filter.actor;
  }
  sql += QStringLiteral(" ORDER BY console_id, sequence");
  QSqlQuery q = c.exec(sql, binds);
  AuditExportResult result;
  QJsonArray list;
  QString csv = QStringLiteral(
      "console_id,sequence,utc,session_clock_us,actor,role,action,subject,details,prev_hash,hash\r\n");
  while (q.next()) {
    ++result.entries;
    const QString utc = utcIsoFromUs(q.value(2).toLongLong());
    const QString clock = q.isNull(3) ? QString() : QString::number(q.value(3).toLongLong());
    const QString prev = QString::fromLatin1(q.value(9).toByteArray().toHex());
    const QString hash = QString::fromLatin1(q.value(10).toByteArray().toHex());
    if (format == ExportFormat::Csv) {
      QStringList cells{csvCell(q.value(0).toString()), QString::number(q.value(1).toLongLong()), utc, clock};
      for (int i = 4; i <= 8; ++i) cells << csvCell(q.value(i).toString());
      cells << prev << hash;
      csv += cells.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    } else {
      list.append(QJsonObject{
          {"console_id", q.value(0).toString()},
          {"sequence", q.value(1).toLongLong()},
          {"utc", utc},
          {"session_clock_us", q.isNull(3) ? QJsonValue() : QJsonValue(q.value(3).toLongLong())},
          {"actor", q.value(4).toString()},
          {"role", q.value(5).toString()},
          {"action", q.value(6).toString()},
          {"subject", q.value(7).toString()},
          {"details", QJsonDocument::fromJson(q.value(8).toString().toUtf8()).object()},
          {"prev_hash", prev},
          {"hash", hash}});
    }
  }
  result.bytes = format == ExportFormat::Csv ? csv.toUtf8() : QJsonDocument(list).toJson(QJsonDocument::Indented);
  return result;
}

}  // namespace tautband::store
