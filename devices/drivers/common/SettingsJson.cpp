#include "SettingsJson.h"

#include <QJsonDocument>

#include <stdexcept>

namespace tautband::drivers {

QJsonObject settingsObject(const std::string& json) {
  QJsonParseError error{};
  const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(json.empty() ? "{}" : json), &error);
  if (error.error != QJsonParseError::NoError || !doc.isObject()) {
    throw std::invalid_argument("settings are not a JSON object");
  }
  return doc.object();
}

}  // namespace tautband::drivers
