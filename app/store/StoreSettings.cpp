#include "store/StoreSettings.h"

#include <QUrl>

namespace tautband::store {

StoreSettings StoreSettings::fromLocation(const QString& location, const std::filesystem::path& dataDir) {
  StoreSettings s;
  s.dataDir = dataDir;
  if (location.startsWith(QLatin1String("postgres://")) || location.startsWith(QLatin1String("postgresql://"))) {
    s.engine = Engine::Postgres;
    s.postgresUrl = location;
  } else {
    s.engine = Engine::Sqlite;
    s.sqlitePath = location.isEmpty() ? defaultSqlitePath(dataDir) : std::filesystem::path(location.toStdString());
  }
  return s;
}

std::filesystem::path StoreSettings::headFilePath() const {
  if (!headFile.empty()) return headFile;
  if (engine == Engine::Sqlite) return std::filesystem::path(sqlitePath.string() + ".audit-head");
  const QUrl url(postgresUrl);
  return dataDir / ("audit-head-" + url.host().toStdString() + "-" + std::to_string(url.port(5432)) + "-" +
                    url.path().mid(1).toStdString() + ".json");
}

QString StoreSettings::describe() const {
  if (engine == Engine::Sqlite) return QString::fromStdString(sqlitePath.string());
  QUrl url(postgresUrl);
  url.setPassword(QString());
  return url.toString();
}

}  // namespace tautband::store
