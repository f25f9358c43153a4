#include "safety/LaserPresets.h"

#include "safety/JsonRead.h"

#include <QJsonArray>

#include <algorithm>

namespace tautband::safety {
namespace {

using Reader = json::Reader<SettingsError>;

std::string num(double v) { return QString::number(v, 'g', 6).toStdString(); }

}  // namespace

const LaserPreset* LaserPresets::forMuscle(std::string_view muscleId) const {
  for (const auto& p : presets)
    if (p.muscleId == muscleId) return &p;
  return nullptr;
}

LaserPresets laserPresetsFromJson(const QJsonObject& root) {
  const Reader in("laser presets");
  in.onlyKeys(root, {"format", "format_version", "presets"}, "");
  if (in.text(root, "format", "") != "tautband.laser.presets") in.fail("format", "must be \"tautband.laser.presets\"");
  if (in.number(root, "format_version", "") != 1) in.fail("format_version", "must be 1");
  LaserPresets out;
  for (const QJsonValue& value : in.arrayOr(root, "presets", "")) {
    if (!value.isObject()) in.fail("presets[]", "must be an object");
    const QJsonObject o = value.toObject();
    LaserPreset p;
    p.muscleId = in.text(o, "muscle", "presets[]");
    const std::string where = "presets." + p.muscleId;
    in.onlyKeys(o,
                {"muscle", "wavelength_nm", "mode", "power_mw", "pulse_frequency_hz", "duty_percent", "spot_area_cm2",
                 "energy_per_point_j", "points"},
                where);
    p.wavelengthNm = in.number(o, "wavelength_nm", where);
    const std::string mode = in.text(o, "mode", where);
    if (mode == "cw") p.mode = LaserMode::Continuous;
    else if (mode == "pulsed") p.mode = LaserMode::Pulsed;
    else in.fail(where + ".mode", "must be \"cw\" or \"pulsed\"");
    p.powerMw = in.number(o, "power_mw", where);
    p.pulseFrequencyHz = in.numberOr(o, "pulse_frequency_hz", where, 0.0);
    p.dutyPercent = in.numberOr(o, "duty_percent", where, 100.0);
    p.spotAreaCm2 = in.number(o, "spot_area_cm2", where);
    p.energyPerPointJ = in.number(o, "energy_per_point_j", where);
    const double points = in.number(o, "points", where);
    if (points != static_cast<int>(points)) in.fail(where + ".points", "must be a whole number");
    p.points = static_cast<int>(points);
    out.presets.push_back(std::move(p));
  }
  return out;
}

LaserPresets laserPresetsFromJson(std::string_view jsonText) {
  return laserPresetsFromJson(Reader("laser presets").parseObject(jsonText));
}

QJsonObject laserPresetToJson(const LaserPreset& p) {
  QJsonObject o{{"muscle", QString::fromStdString(p.muscleId)},
                {"wavelength_nm", p.wavelengthNm},
                {"mode", p.mode == LaserMode::Pulsed ? "pulsed" : "cw"},
                {"power_mw", p.powerMw},
                {"spot_area_cm2", p.spotAreaCm2},
                {"energy_per_point_j", p.energyPerPointJ},
                {"points", p.points}};
  if (p.mode == LaserMode::Pulsed) {
    o.insert("pulse_frequency_hz", p.pulseFrequencyHz);
    o.insert("duty_percent", p.dutyPercent);
  }
  return o;
}

QJsonObject laserPresetsToJson(const LaserPresets& presets) {
  QJsonArray list;
  for (const auto& p : presets.presets) list.append(laserPresetToJson(p));
  return QJsonObject{{"format", "tautband.laser.presets"}, {"format_version", 1}, {"presets", list}};
}

void validate(const LaserPresets& presets, const ClinicSettings& settings, const anatomy::Atlas& atlas) {
  std::vector<std::string> seen;
  for (const auto& p : presets.presets) {
    const auto fail = [&](const std::string& what) { throw SettingsError("laser presets: " + p.muscleId + ": " + what); };
    if (!atlas.muscle(p.muscleId)) fail("not a muscle of the atlas");
    if (std::find(seen.begin(), seen.end(), p.muscleId) != seen.end()) fail("more than one preset");
    seen.push_back(p.muscleId);
    const DoseTable* table = settings.doseTableFor(p.wavelengthNm);
    if (!table) fail("no dose table covers " + num(p.wavelengthNm) + " nm");
    if (p.powerMw <= 0.0) fail("power_mw must be positive");
    if (p.spotAreaCm2 <= 0.0) fail("spot_area_cm2 must be positive");
    if (p.energyPerPointJ <= 0.0) fail("energy_per_point_j must be positive");
    if (p.points < 1 || p.points > 50) fail("points must be 1 to 50");
    if (p.mode == LaserMode::Pulsed && (p.pulseFrequencyHz <= 0.0 || p.dutyPercent <= 0.0 || p.dutyPercent > 100.0))
      fail("pulsed needs pulse_frequency_hz > 0 and duty_percent in (0, 100]");
    const DoseBounds& w = table->walt;
    const double mw = p.meanPowerMw();
    if (mw < w.powerMinMw || mw > w.powerMaxMw)
      fail("mean power " + num(mw) + " mW outside WALT " + num(w.powerMinMw) + "-" + num(w.powerMaxMw) + " mW (" +
           table->id + ")");
    const double t = p.timePerPointS();
    if (t < w.timeMinS || t > w.timeMaxS)
      fail(num(p.energyPerPointJ) + " J at " + num(mw) + " mW takes " + num(t) + " s per point, outside WALT " +
           num(w.timeMinS) + "-" + num(w.timeMaxS) + " s (" + table->id + ")");
    if ((w.energyMinJ > 0.0 && p.energyPerPointJ < w.energyMinJ) || (w.energyMaxJ > 0.0 && p.energyPerPointJ > w.energyMaxJ))
      fail("energy per point outside WALT (" + table->id + ")");
  }
}

ClinicConfiguration effectiveConfiguration(const ClinicSettings& shipped, const std::optional<QJsonObject>& storedSettings,
                                           const std::optional<QJsonObject>& storedPresets,
                                           const anatomy::Atlas& atlas) {
  ClinicConfiguration c{shipped, {}, false, {}};
  if (storedSettings) {
    try {
      c.settings = overlayClinicSettings(shipped, *storedSettings);
      c.settingsFromStore = true;
    } catch (const SettingsError& e) {
      c.problems.push_back(std::string("stored clinic settings not used (shipped defaults apply): ") + e.what());
    }
  }
  if (storedPresets) {
    LaserPresets parsed;
    try {
      parsed = laserPresetsFromJson(*storedPresets);
    } catch (const SettingsError& e) {
      c.problems.push_back(std::string("stored laser presets not used: ") + e.what());
    }
    for (const auto& preset : parsed.presets) {
      LaserPresets one{{preset}};
      try {
        validate(one, c.settings, atlas);
        if (c.presets.forMuscle(preset.muscleId)) throw SettingsError("laser presets: " + preset.muscleId + ": more than one preset");
        c.presets.presets.push_back(preset);
      } catch (const SettingsError& e) {
        c.problems.push_back(std::string("preset left out: ") + e.what());
      }
    }
  }
  return c;
}

}  // namespace tautband::safety
