#include "safety/ClinicSettings.h"

#include "safety/JsonRead.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace tautband::safety {
namespace {

using Reader = json::Reader<SettingsError>;

DoseBounds boundsFrom(const Reader& in, const QJsonObject& o, const std::string& where) {
  in.onlyKeys(o, {"power_min_mw", "power_max_mw", "time_min_s", "time_max_s", "energy_min_j", "energy_max_j"}, where);
  DoseBounds b;
  b.powerMinMw = in.number(o, "power_min_mw", where);
  b.powerMaxMw = in.number(o, "power_max_mw", where);
  b.timeMinS = in.number(o, "time_min_s", where);
  b.timeMaxS = in.number(o, "time_max_s", where);
  b.energyMinJ = in.numberOr(o, "energy_min_j", where, 0.0);
  b.energyMaxJ = in.numberOr(o, "energy_max_j", where, 0.0);
  return b;
}

void fail(const std::string& what) { throw SettingsError("clinic settings: " + what); }

QJsonObject boundsJson(const DoseBounds& b) {
  return QJsonObject{{"power_min_mw", b.powerMinMw}, {"power_max_mw", b.powerMaxMw}, {"time_min_s", b.timeMinS},
                     {"time_max_s", b.timeMaxS},     {"energy_min_j", b.energyMinJ}, {"energy_max_j", b.energyMaxJ}};
}

std::string num(double v) {
  return QString::number(v, 'g', 6).toStdString();
}

}  // namespace

const DoseTable* ClinicSettings::doseTableFor(double wavelengthNm) const {
  for (const auto& table : doseTables)
    if (wavelengthNm >= table.wavelengthMinNm && wavelengthNm <= table.wavelengthMaxNm) return &table;
  return nullptr;
}

ClinicSettings clinicSettingsFromJson(std::string_view jsonText) {
  const Reader in("clinic settings");
  const QJsonObject root = in.parseObject(jsonText);
  in.onlyKeys(root,
              {"format", "format_version", "settings_version", "bilateral_thorax_window_h", "thoracic_observation_min",
               "ultrasound_margin_mm", "lung_disease_limit_factor", "bilateral_pincer_exception_muscles",
               "estim_density_ack_ma_per_cm2", "power_check_interval_days", "power_tolerance_fraction",
               "laser_warning_delay_s", "class4_threshold_mw", "class4_stationary_irradiance_max_mw_per_cm2",
               "age_of_majority_years", "first_trimester_weeks", "research_amplifier_allowed", "dose_tables"},
              "");
  if (in.text(root, "format", "") != "tautband.safety.clinic_settings")
    in.fail("format", "must be \"tautband.safety.clinic_settings\"");
  if (in.number(root, "format_version", "") != 1) in.fail("format_version", "must be 1");
  ClinicSettings s;
  s.settingsVersion = in.text(root, "settings_version", "");
  s.bilateralThoraxWindowH = in.number(root, "bilateral_thorax_window_h", "");
  s.thoracicObservationMin = in.number(root, "thoracic_observation_min", "");
  s.ultrasoundMarginMm = in.number(root, "ultrasound_margin_mm", "");
  s.lungDiseaseLimitFactor = in.number(root, "lung_disease_limit_factor", "");
  s.bilateralPincerExceptionMuscles = in.strings(root, "bilateral_pincer_exception_muscles", "");
  s.estimDensityAckMaPerCm2 = in.number(root, "estim_density_ack_ma_per_cm2", "");
  s.powerCheckIntervalDays = in.number(root, "power_check_interval_days", "");
  s.powerTolerance = in.number(root, "power_tolerance_fraction", "");
  s.laserWarningDelayS = in.number(root, "laser_warning_delay_s", "");
  s.class4ThresholdMw = in.number(root, "class4_threshold_mw", "");
  s.class4StationaryIrradianceMaxMwCm2 = in.number(root, "class4_stationary_irradiance_max_mw_per_cm2", "");
  s.ageOfMajorityYears = static_cast<int>(in.number(root, "age_of_majority_years", ""));
  s.firstTrimesterWeeks = static_cast<int>(in.number(root, "first_trimester_weeks", ""));
  s.researchAmplifierAllowed = in.boolOr(root, "research_amplifier_allowed", "", false);
  for (const QJsonValue& value : in.arrayOr(root, "dose_tables", "")) {
    const QJsonObject o = value.toObject();
    DoseTable t;
    t.id = in.text(o, "id", "dose_tables[]");
    const std::string where = "dose_tables." + t.id;
    t.wavelengthMinNm = in.number(o, "wavelength_min_nm", where);
    t.wavelengthMaxNm = in.number(o, "wavelength_max_nm", where);
    t.walt = boundsFrom(in, in.object(o, "walt", where), where + ".walt");
    t.clinic = boundsFrom(in, in.object(o, "clinic", where), where + ".clinic");
    s.doseTables.push_back(std::move(t));
  }
  validate(s);
  return s;
}

ClinicSettings clinicSettingsFromFile(const std::string& path) {
  const QByteArray bytes = Reader("clinic settings").readFile(path);
  return clinicSettingsFromJson(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
}

ClinicSettings defaultClinicSettings() {
  static const ClinicSettings defaults = clinicSettingsFromFile(":/tautband/safety/clinic_settings.json");
  return defaults;
}

void validate(const ClinicSettings& s) {
  // Sourced figures may be made stricter by a clinic, never looser.
  if (s.bilateralThoraxWindowH < 24.0) fail("bilateral_thorax_window_h below 24 h (AHPCSA)");
  if (s.estimDensityAckMaPerCm2 <= 0.0 || s.estimDensityAckMaPerCm2 > 2.0)
    fail("estim_density_ack_ma_per_cm2 must be in (0, 2] (IEC 60601-2-10)");
  if (s.powerTolerance <= 0.0 || s.powerTolerance > 0.20) fail("power_tolerance_fraction must be in (0, 0.20] (21 CFR 1040.11(a))");
  if (s.lungDiseaseLimitFactor <= 0.0 || s.lungDiseaseLimitFactor > 1.0) fail("lung_disease_limit_factor must be in (0, 1]");
  if (s.ultrasoundMarginMm < 0.0) fail("ultrasound_margin_mm must not be negative");
  if (s.thoracicObservationMin <= 0.0) fail("thoracic_observation_min must be positive");
  if (s.powerCheckIntervalDays <= 0.0) fail("power_check_interval_days must be positive");
  // 21 CFR 1040.10(f) asks for a warning "for a sufficient time to allow appropriate action":
  // a 1 ms "warning" meets the letter and not the purpose. The Settings page offers 1-10 s.
  if (!(s.laserWarningDelayS >= 1.0 && s.laserWarningDelayS <= 10.0))
    fail("laser_warning_delay_s must be 1-10 s (21 CFR 1040.10(f): time to act before emission)");
  if (s.class4ThresholdMw > 500.0 || s.class4ThresholdMw <= 0.0) fail("class4_threshold_mw must be in (0, 500]");
  if (s.class4StationaryIrradianceMaxMwCm2 <= 0.0) fail("class4_stationary_irradiance_max_mw_per_cm2 must be positive");
  if (s.ageOfMajorityYears < 16) fail("age_of_majority_years below 16");
  if (s.firstTrimesterWeeks < 13) fail("first_trimester_weeks below 13");
  if (s.doseTables.empty()) fail("no dose tables");
  for (const auto& t : s.doseTables) {
    const std::string where = "dose table " + t.id + ": ";
    const DoseBounds& w = t.walt;
    const DoseBounds& c = t.clinic;
    if (t.wavelengthMinNm <= 0.0 || t.wavelengthMaxNm < t.wavelengthMinNm) fail(where + "bad wavelength range");
    if (w.powerMinMw <= 0.0 || w.powerMaxMw < w.powerMinMw || w.timeMinS <= 0.0 || w.timeMaxS < w.timeMinS)
      fail(where + "bad WALT bounds");
    if (w.powerMaxMw > 500.0 || w.timeMaxS > 300.0 || w.powerMinMw < 5.0 || w.timeMinS < 20.0)
      fail(where + "WALT outer bounds widened beyond 5-500 mW, 20-300 s");
    if (c.powerMinMw < w.powerMinMw || c.powerMaxMw > w.powerMaxMw || c.timeMinS < w.timeMinS || c.timeMaxS > w.timeMaxS ||
        c.powerMaxMw < c.powerMinMw || c.timeMaxS < c.timeMinS)
      fail(where + "clinic protocol must lie inside the WALT bounds");
    if (c.energyMinJ < 0.0 || (c.energyMaxJ > 0.0 && c.energyMaxJ < c.energyMinJ)) fail(where + "bad clinic energy range");
  }
  for (std::size_t i = 0; i < s.doseTables.size(); ++i)
    for (std::size_t j = i + 1; j < s.doseTables.size(); ++j)
      if (s.doseTables[i].wavelengthMinNm <= s.doseTables[j].wavelengthMaxNm &&
          s.doseTables[j].wavelengthMinNm <= s.doseTables[i].wavelengthMaxNm)
        fail("dose tables " + s.doseTables[i].id + " and " + s.doseTables[j].id + " overlap");
}

QJsonObject clinicSettingsToJson(const ClinicSettings& s) {
  QJsonArray muscles;
  for (const auto& m : s.bilateralPincerExceptionMuscles) muscles.append(QString::fromStdString(m));
  QJsonArray tables;
  for (const auto& t : s.doseTables)
    tables.append(QJsonObject{{"id", QString::fromStdString(t.id)},
                              {"wavelength_min_nm", t.wavelengthMinNm},
                              {"wavelength_max_nm", t.wavelengthMaxNm},
                              {"walt", boundsJson(t.walt)},
                              {"clinic", boundsJson(t.clinic)}});
  return QJsonObject{{"format", "tautband.safety.clinic_settings"},
                     {"format_version", 1},
                     {"settings_version", QString::fromStdString(s.settingsVersion)},
                     {"bilateral_thorax_window_h", s.bilateralThoraxWindowH},
                     {"thoracic_observation_min", s.thoracicObservationMin},
                     {"ultrasound_margin_mm", s.ultrasoundMarginMm},
                     {"lung_disease_limit_factor", s.lungDiseaseLimitFactor},
                     {"bilateral_pincer_exception_muscles", muscles},
                     {"estim_density_ack_ma_per_cm2", s.estimDensityAckMaPerCm2},
                     {"power_check_interval_days", s.powerCheckIntervalDays},
                     {"power_tolerance_fraction", s.powerTolerance},
                     {"laser_warning_delay_s", s.laserWarningDelayS},
                     {"class4_threshold_mw", s.class4ThresholdMw},
                     {"class4_stationary_irradiance_max_mw_per_cm2", s.class4StationaryIrradianceMaxMwCm2},
                     {"age_of_majority_years", s.ageOfMajorityYears},
                     {"first_trimester_weeks", s.firstTrimesterWeeks},
                     {"research_amplifier_allowed", s.researchAmplifierAllowed},
                     {"dose_tables", tables}};
}

void validateAgainst(const ClinicSettings& s, const ClinicSettings& shipped) {
  validate(s);
  // The shipped figures that carry a source are the loosest a clinic may use.
  if (s.estimDensityAckMaPerCm2 > shipped.estimDensityAckMaPerCm2)
    fail("estim_density_ack_ma_per_cm2 above the shipped " + num(shipped.estimDensityAckMaPerCm2) + " (IEC 60601-2-10)");
  if (s.powerTolerance > shipped.powerTolerance)
    fail("power_tolerance_fraction above the shipped " + num(shipped.powerTolerance) + " (21 CFR 1040.11(a))");
  if (s.class4ThresholdMw > shipped.class4ThresholdMw)
    fail("class4_threshold_mw above the shipped " + num(shipped.class4ThresholdMw) + " mW (IEC 60825-1)");
  if (s.class4StationaryIrradianceMaxMwCm2 > shipped.class4StationaryIrradianceMaxMwCm2)
    fail("class4_stationary_irradiance_max_mw_per_cm2 above the shipped " +
         num(shipped.class4StationaryIrradianceMaxMwCm2) + " mW/cm² (WALT)");
  for (const auto& ref : shipped.doseTables) {
    const DoseTable* t = nullptr;
    for (const auto& candidate : s.doseTables)
      if (candidate.id == ref.id) t = &candidate;
    if (!t) fail("dose table " + ref.id + " is missing (it ships with the console)");
    const std::string where = "dose table " + ref.id + ": ";
    if (t->wavelengthMinNm != ref.wavelengthMinNm || t->wavelengthMaxNm != ref.wavelengthMaxNm)
      fail(where + "wavelength range differs from the shipped " + num(ref.wavelengthMinNm) + "-" + num(ref.wavelengthMaxNm) + " nm");
    const DoseBounds& w = t->walt;
    const DoseBounds& r = ref.walt;
    if (w.powerMaxMw > r.powerMaxMw) fail(where + "WALT power_max_mw widened beyond " + num(r.powerMaxMw) + " mW");
    if (w.powerMinMw < r.powerMinMw) fail(where + "WALT power_min_mw widened below " + num(r.powerMinMw) + " mW");
    if (w.timeMaxS > r.timeMaxS) fail(where + "WALT time_max_s widened beyond " + num(r.timeMaxS) + " s");
    if (w.timeMinS < r.timeMinS) fail(where + "WALT time_min_s widened below " + num(r.timeMinS) + " s");
    if (r.energyMaxJ > 0.0 && (w.energyMaxJ <= 0.0 || w.energyMaxJ > r.energyMaxJ))
      fail(where + "WALT energy_max_j widened beyond " + num(r.energyMaxJ) + " J");
    if (w.energyMinJ < r.energyMinJ) fail(where + "WALT energy_min_j widened below " + num(r.energyMinJ) + " J");
  }
  if (s.doseTables.size() != shipped.doseTables.size())
    fail("dose tables other than the shipped ones (" + std::to_string(shipped.doseTables.size()) + ") are not allowed");
}

ClinicSettings overlayClinicSettings(const ClinicSettings& shipped, const QJsonObject& stored) {
  QJsonObject merged = clinicSettingsToJson(shipped);
  for (auto it = stored.begin(); it != stored.end(); ++it) merged.insert(it.key(), it.value());
  const QByteArray text = QJsonDocument(merged).toJson(QJsonDocument::Compact);
  ClinicSettings s = clinicSettingsFromJson(std::string_view(text.constData(), static_cast<std::size_t>(text.size())));
  validateAgainst(s, shipped);
  return s;
}

}  // namespace tautband::safety
