#pragma once

#include "anatomy/Atlas.h"
#include "safety/Case.h"
#include "safety/ClinicSettings.h"

#include <QJsonObject>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tautband::safety {

// A clinic's laser preset for one muscle (issue 7: "clinic presets per muscle editable by a
// manager"): what the laser page fills in when the therapist picks it. The rules engine still
// evaluates every parameter at the point of use; a preset only saves typing.
struct LaserPreset {
  std::string muscleId;             // atlas muscle id ("upper_trapezius")
  double wavelengthNm = 808.0;
  LaserMode mode = LaserMode::Continuous;
  double powerMw = 0.0;             // CW output, or PEAK power when pulsed
  double pulseFrequencyHz = 0.0;    // pulsed only
  double dutyPercent = 100.0;       // pulsed only; mean power = peak x duty
  double spotAreaCm2 = 0.0;
  double energyPerPointJ = 0.0;
  int points = 1;

  double meanPowerMw() const { return mode == LaserMode::Pulsed ? powerMw * dutyPercent / 100.0 : powerMw; }
  // Time per point the energy takes at the mean power.
  double timePerPointS() const { return meanPowerMw() > 0.0 ? energyPerPointJ * 1000.0 / meanPowerMw() : 0.0; }
};

struct LaserPresets {
  std::vector<LaserPreset> presets;  // at most one per muscle
  const LaserPreset* forMuscle(std::string_view muscleId) const;
};

// Format "tautband.laser.presets" version 1 (docs/SAFETY.md "Clinic settings"):
// {"format", "format_version": 1, "presets": [{"muscle", "wavelength_nm", "mode": "cw"|"pulsed",
//  "power_mw", "pulse_frequency_hz", "duty_percent", "spot_area_cm2", "energy_per_point_j", "points"}]}.
// Parsing checks the shape only; validate() checks the figures. Throws SettingsError.
LaserPresets laserPresetsFromJson(const QJsonObject& json);
LaserPresets laserPresetsFromJson(std::string_view jsonText);
QJsonObject laserPresetsToJson(const LaserPresets& presets);
QJsonObject laserPresetToJson(const LaserPreset& preset);

// Every preset names an atlas muscle (once), a wavelength with a dose table, and figures
// inside that table's WALT outer bounds (mean power, time per point = energy / mean power,
// energy per point where WALT bounds it). Throws SettingsError("laser presets: <muscle>: ...").
void validate(const LaserPresets& presets, const ClinicSettings& settings, const anatomy::Atlas& atlas);

// What the console and the CLI use: the shipped settings with the clinic's stored ones laid
// over them, and the clinic's presets that hold under those settings. A stored value that no
// longer validates (edited outside the console, or stricter shipped figures in a newer
// build) is not used: the shipped settings apply, a preset that fails is left out, and
// `problems` says so in words for the log and the manager's page.
struct ClinicConfiguration {
  ClinicSettings settings;
  LaserPresets presets;
  bool settingsFromStore = false;
  std::vector<std::string> problems;
};
ClinicConfiguration effectiveConfiguration(const ClinicSettings& shipped, const std::optional<QJsonObject>& storedSettings,
                                           const std::optional<QJsonObject>& storedPresets,
                                           const anatomy::Atlas& atlas);

}  // namespace tautband::safety
