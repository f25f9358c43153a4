#pragma once

#include "store/Access.h"
#include "store/StoreWriter.h"

#include <QDate>
#include <QJsonObject>
#include <QString>

#include <map>
#include <optional>
#include <vector>

namespace tautband::store {

// What the safety rules need from the store about the people and the device in the room,
// read in one job each (docs/CLINICAL-CONTEXT.md). Nothing here interprets the answers:
// the console's ClinicalContext maps them to the rules' case format.

struct StoredCredential {
  QString kind;  // as stored: dry-needling | laser | e-stim
  QDate expiresOn;
};

struct StoredNeedle {
  QString muscle;          // as the site row stores it (atlas muscle id)
  QString side;            // left | right | midline
  QJsonObject location;    // {"view", "x", "y"} when a point was tapped
  QString zone;
  double lengthMm = 0;
  QString technique;
  QString direction;
  std::int64_t insertedUtcUs = 0;
};

struct StoredConsent {
  QString scope;
  bool namesPneumothorax = false;
  QString givenBy;
  std::int64_t recordedUtcUs = 0;
};

struct PatientContextRecord {
  qint64 patientId = 0;
  QString label;                        // "Family, Given"
  QDate birthDate;
  QString sex;
  QString guardianName;
  std::optional<double> heightCm, weightKg;
  std::optional<QJsonObject> screening;  // latest answers; nullopt = never screened
  QString screeningFormVersion;
  std::int64_t screeningUtcUs = 0;
  std::vector<StoredConsent> consents;   // newest first
  std::vector<StoredNeedle> recentNeedles;  // this patient, any session, since `sinceUtcUs`
};

struct StoredPowerCheck {
  double wavelengthNm = 0, nominalMw = 0, measuredMw = 0;
  bool passed = false;
  std::int64_t checkedUtcUs = 0, nextDueUtcUs = 0;
};

struct StoredEyewear {
  QString label;
  double minNm = 0, maxNm = 0, opticalDensity = 0;
  QString mode;  // cw | pulsed | both
};

struct LaserDeviceRecord {
  std::optional<qint64> deviceId;                 // newest row with this serial
  std::optional<StoredPowerCheck> lastPowerCheck;  // any row with this serial (the physical unit)
  std::vector<StoredEyewear> eyewear;              // active eyewear of the clinic
  // The manufacturer's required OD per wavelength, as the clinic recorded it for this unit
  // (clinic setting "laser.required_od.<serial>": {"808": 4, "905": 4}); empty = not recorded.
  std::map<int, double> requiredOdByWavelength;
};
// The clinic setting key of a laser's required eyewear OD.
QString requiredOdSettingKey(const QString& serial);

// Credentials of a user (not audited: the user's own record, read at log-in).
std::vector<StoredCredential> readCredentials(WriteTransaction& tx, qint64 userId);
// Patient, latest screening, consents and needles since `sinceUtcUs`; audited as
// "patient.read" with purpose "safety-context". Throws StoreError for an unknown patient.
PatientContextRecord readPatientContext(WriteTransaction& tx, const Actor& by, qint64 patientId,
                                        std::int64_t sinceUtcUs);
// The laser with this serial number: its latest power check and the clinic's eyewear.
LaserDeviceRecord readLaserDevice(WriteTransaction& tx, const QString& serial);

}  // namespace tautband::store
