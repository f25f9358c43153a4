#include "store/AuditHeadFile.h"

#include "store/Database.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace tautband::store {
namespace {
constexpr auto kFormat = "tautband-audit-head-1";

QJsonObject toJson(const SignedHead& h) {
  return QJsonObject{{"console_id", QString::fromStdString(h.consoleId)},
                     {"sequence", static_cast<qint64>(h.sequence)},
                     {"hash", toHex(h.hash)},
                     {"utc_us", static_cast<qint64>(h.utcUs)},
                     {"signature", toHex(h.signature)}};
}
}  // namespace

std::optional<std::map<std::string, SignedHead>> readHeadFile(const std::filesystem::path& file) {
  QFile f(QString::fromStdString(file.string()));
  if (!f.exists()) return std::nullopt;
  if (!f.open(QIODevice::ReadOnly)) throw StoreError("cannot read audit head file " + file.string());
  const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
  const QJsonObject root = doc.object();
  if (root.value(QLatin1String("format")).toString() != QLatin1String(kFormat)) {
    throw StoreError("audit head file " + file.string() + " is not in format " + kFormat);
  }
  std::map<std::string, SignedHead> heads;
  for (const QJsonValue& v : root.value(QLatin1String("heads")).toArray()) {
    const QJsonObject o = v.toObject();
    SignedHead h;
    h.consoleId = o.value(QLatin1String("console_id")).toString().toStdString();
    h.sequence = o.value(QLatin1String("sequence")).toInteger(-1);
    h.utcUs = o.value(QLatin1String("utc_us")).toInteger();
    if (h.consoleId.empty() || h.sequence < 0 || !fromHex(o.value(QLatin1String("hash")).toString(), h.hash) ||
        !fromHex(o.value(QLatin1String("signature")).toString(), h.signature)) {
      throw StoreError("audit head file " + file.string() + " has a malformed entry");
    }
    heads[h.consoleId] = h;
  }
  return heads;
}

bool writeHeadFile(const std::filesystem::path& file, const SignedHead& head, QString* error) {
  std::map<std::string, SignedHead> heads;
  try {
    if (auto existing = readHeadFile(file)) heads = std::move(*existing);
  } catch (const StoreError&) {
    // A damaged head file is replaced; verify reports the damage if it is run first.
  }
  heads[head.consoleId] = head;
  QJsonArray list;
  for (const auto& [id, h] : heads) list.append(toJson(h));
  const QByteArray text =
      QJsonDocument(QJsonObject{{"format", QLatin1String(kFormat)}, {"heads", list}}).toJson(QJsonDocument::Indented);
  const std::string tmp = file.string() + ".tmp";
  QFile f(QString::fromStdString(tmp));
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(text) != text.size() || !f.flush()) {
    if (error) *error = f.errorString();
    return false;
  }
  f.close();
  if (std::rename(tmp.c_str(), file.c_str()) != 0) {
    if (error) *error = QStringLiteral("rename to %1 failed").arg(QString::fromStdString(file.string()));
    return false;
  }
  return true;
}

}  // namespace tautband::store
