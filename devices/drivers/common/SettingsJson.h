#pragma once

// A driver's settings string (the manifest's "settings" as the host passes
// them to create()) as a JSON object; each driver then reads its own keys.

#include <QJsonObject>

#include <string>

namespace tautband::drivers {

// An empty string is an empty object; anything that is not a JSON object
// throws std::invalid_argument (create() reports it to the host).
QJsonObject settingsObject(const std::string& json);

}  // namespace tautband::drivers
