#pragma once

#include <QJsonObject>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tautband::safety {

// Bounds for one laser wavelength band. `walt` are the published outer bounds (never
// widened by a clinic); `clinic` is the clinic's routine protocol, inside them.
struct DoseBounds {
  double powerMinMw = 0.0;
  double powerMaxMw = 0.0;
  double timeMinS = 0.0;
  double timeMaxS = 0.0;
  double energyMinJ = 0.0;          // per point; 0 = no lower bound
  double energyMaxJ = 0.0;          // per point; 0 = no upper bound
};

struct DoseTable {
  std::string id;                   // "780-860nm", "904-905nm"
  double wavelengthMinNm = 0.0;
  double wavelengthMaxNm = 0.0;
  DoseBounds walt;
  DoseBounds clinic;
};

// Clinic-configurable figures (SAFETY-RULES.md "clinic-configurable"). Defaults ship in
// app/safety/data/clinic_settings.json; a manager changes them (the change is audited by the
// caller). validate() refuses values that would loosen a sourced figure.
struct ClinicSettings {
  std::string settingsVersion;
  double bilateralThoraxWindowH = 24.0;          // AHPCSA: never both sides of the thorax
  double thoracicObservationMin = 15.0;          // our design; no source gives a number
  double ultrasoundMarginMm = 5.0;               // our design: probe compression + reading error
  double lungDiseaseLimitFactor = 0.8;           // our design: stricter limit with lung disease
  std::vector<std::string> bilateralPincerExceptionMuscles{"upper_trapezius"};
  double estimDensityAckMaPerCm2 = 2.0;          // IEC 60601-2-10 (r.m.s.)
  double powerCheckIntervalDays = 30.0;          // our design; 21 CFR 1040.11(a) needs the check
  double powerTolerance = 0.20;                  // 21 CFR 1040.11(a): ±20 %
  double laserWarningDelayS = 2.0;               // 21 CFR 1040.10(f) warning before emission
  double class4ThresholdMw = 500.0;              // IEC 60825-1 Class 3B/4 boundary
  double class4StationaryIrradianceMaxMwCm2 = 100.0;  // WALT "maximum 100 mW/cm²" reused as thermal cap
  int ageOfMajorityYears = 18;
  int firstTrimesterWeeks = 13;
  bool researchAmplifierAllowed = false;
  std::vector<DoseTable> doseTables;

  const DoseTable* doseTableFor(double wavelengthNm) const;
};

class SettingsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses and validates; throws SettingsError("clinic settings: ...").
ClinicSettings clinicSettingsFromJson(std::string_view jsonText);
ClinicSettings clinicSettingsFromFile(const std::string& path);
// The shipped defaults (compiled in from app/safety/data/clinic_settings.json).
ClinicSettings defaultClinicSettings();
// Throws SettingsError naming the first value that loosens a sourced bound.
void validate(const ClinicSettings& settings);

// The file format (same keys as clinic_settings.json); clinicSettingsFromJson reads it back.
QJsonObject clinicSettingsToJson(const ClinicSettings& settings);
// validate() plus what only a comparison with the shipped figures shows: every shipped dose
// table is still there with the same wavelengths, and its WALT bounds are the published ones
// or narrower (a clinic may never widen a WALT outer bound). Throws SettingsError naming it.
void validateAgainst(const ClinicSettings& settings, const ClinicSettings& shipped);
// The effective settings of a clinic: the shipped ones with the clinic's stored object laid
// over them (each top-level key replaces the shipped one; "dose_tables" as a whole), parsed
// and checked with validateAgainst(). Throws SettingsError naming the offending key.
ClinicSettings overlayClinicSettings(const ClinicSettings& shipped, const QJsonObject& stored);

}  // namespace tautband::safety
