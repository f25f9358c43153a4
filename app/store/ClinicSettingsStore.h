#pragma once

#include "store/StoreWriter.h"

#include <QJsonValue>
#include <QString>

#include <optional>

namespace tautband::store {

// Read side of the clinic's settings (table clinic_settings; ClinicalRecord::setClinicSetting
// writes them, audited with the previous and the new value). The store only keeps the JSON:
// the safety library parses and validates it (docs/SAFETY.md "Clinic settings").

// The full safety::ClinicSettings object a manager saved (format tautband.safety.clinic_settings).
inline constexpr const char* kClinicSettingsKey = "safety.clinic_settings";
// The laser presets per atlas muscle (format tautband.laser.presets).
inline constexpr const char* kLaserPresetsKey = "laser.presets";

struct StoredClinicSetting {
  QJsonValue value;                // as given to setClinicSetting
  std::optional<qint64> changedBy;  // user id; nullopt for the OS or system account
  std::int64_t changedUtcUs = 0;
};

// nullopt when the clinic never set `key`.
std::optional<StoredClinicSetting> readClinicSetting(WriteTransaction& tx, const QString& key);

}  // namespace tautband::store
