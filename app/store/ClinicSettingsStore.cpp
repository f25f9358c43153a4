#include "store/ClinicSettingsStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace tautband::store {

std::optional<StoredClinicSetting> readClinicSetting(WriteTransaction& tx, const QString& key) {
  QSqlQuery q = tx.exec(QStringLiteral("SELECT value_json, changed_by, changed_us FROM clinic_settings WHERE key = ?"),
                        {key});
  if (!q.next()) return std::nullopt;
  StoredClinicSetting s;
  // setClinicSetting stores the value wrapped in a one-element array (any JSON value fits).
  s.value = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).array().at(0);
  if (!q.value(1).isNull()) s.changedBy = q.value(1).toLongLong();
  s.changedUtcUs = q.value(2).toLongLong();
  return s;
}

}  // namespace tautband::store
