#pragma once

// Helpers shared by the safety tests: loading the repo's case fixtures, JSON merge patch
// (RFC 7386) to derive a case from a base, and an in-memory audit sink.

#include "safety/CaseJson.h"
#include "safety/ClinicSettings.h"
#include "safety/SafetyAuditSink.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <stdexcept>
#include <vector>

namespace tautband::safety::test {

inline QString casesDir() { return QStringLiteral(TAUTBAND_SAFETY_CASES_DIR); }

inline QJsonObject readJsonObject(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) throw std::runtime_error("cannot open " + path.toStdString());
  const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
  if (!doc.isObject()) throw std::runtime_error("not a JSON object: " + path.toStdString());
  return doc.object();
}

// RFC 7386: objects merge recursively, null deletes, anything else replaces.
inline QJsonObject mergePatch(QJsonObject target, const QJsonObject& patch) {
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (it.value().isNull()) {
      target.remove(it.key());
    } else if (it.value().isObject()) {
      target[it.key()] = mergePatch(target.value(it.key()).toObject(), it.value().toObject());
    } else {
      target[it.key()] = it.value();
    }
  }
  return target;
}

inline QJsonObject baseCase(const QString& name) { return readJsonObject(casesDir() + "/base/" + name + ".json"); }

inline QByteArray defaultSettingsJson() {
  QFile file(QStringLiteral(":/tautband/safety/clinic_settings.json"));
  if (!file.open(QIODevice::ReadOnly)) throw std::runtime_error("clinic settings resource missing");
  return file.readAll();
}

inline ClinicSettings settingsWith(const QJsonObject& patch) {
  const QJsonObject merged = mergePatch(QJsonDocument::fromJson(defaultSettingsJson()).object(), patch);
  const QByteArray bytes = QJsonDocument(merged).toJson();
  return clinicSettingsFromJson(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
}

class VectorAuditSink final : public SafetyAuditSink {
 public:
  void record(const SafetyAuditRecord& entry) override { entries.push_back(entry); }
  std::vector<SafetyAuditRecord> entries;
};

}  // namespace tautband::safety::test
