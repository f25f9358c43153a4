#include "safety/CaseJson.h"

#include "safety/JsonRead.h"
#include "safety/RuleTable.h"

#include <QDateTime>

#include <cmath>

namespace tautband::safety {
namespace {

using Reader = json::Reader<CaseFormatError>;
using anatomy::Side;
using anatomy::View;

template <typename E>
struct Named {
  E value;
  std::string_view name;
};

constexpr Named<Technique> kTechniques[] = {
    {Technique::Flat, "flat"}, {Technique::Pincer, "pincer"}, {Technique::RibBracketing, "rib_bracketing"}};
constexpr Named<Direction> kDirections[] = {
    {Direction::Perpendicular, "perpendicular"}, {Direction::TowardThorax, "toward_thorax"},
    {Direction::AwayFromThorax, "away_from_thorax"}, {Direction::Tangential, "tangential"},
    {Direction::TowardSpine, "toward_spine"}, {Direction::AwayFromSpine, "away_from_spine"}};
constexpr Named<PatientPosition> kPositions[] = {
    {PatientPosition::Lying, "lying"}, {PatientPosition::Sitting, "sitting"}, {PatientPosition::Standing, "standing"}};
constexpr Named<Waveform> kWaveforms[] = {{Waveform::BiphasicSymmetric, "biphasic_symmetric"},
                                          {Waveform::BiphasicChargeBalanced, "biphasic_charge_balanced"},
                                          {Waveform::Monophasic, "monophasic"},
                                          {Waveform::DirectCurrent, "dc"}};
constexpr Named<LaserMode> kModes[] = {{LaserMode::Continuous, "cw"}, {LaserMode::Pulsed, "pulsed"}};
constexpr Named<LaserTechnique> kLaserTechniques[] = {
    {LaserTechnique::Contact, "contact"}, {LaserTechnique::Pressure, "pressure"}, {LaserTechnique::Scanning, "scanning"}};

template <typename E, std::size_t N>
std::optional<E> valueNamed(std::string_view name, const Named<E> (&names)[N]) {
  for (const auto& n : names)
    if (n.name == name) return n.value;
  return std::nullopt;
}

template <typename E, std::size_t N>
std::string allowedNames(const Named<E> (&names)[N]) {
  std::string allowed;
  for (const auto& n : names) allowed += (allowed.empty() ? "" : ", ") + std::string(n.name);
  return allowed;
}

// A missing key is the format's default; a present one must be a known name.
template <typename E, std::size_t N>
E enumFrom(const Reader& in, const QJsonObject& o, std::string_view key, const std::string& where,
           const Named<E> (&names)[N], E fallback) {
  const auto text = in.optText(o, key, where);
  if (!text) return fallback;
  if (const auto value = valueNamed(*text, names)) return *value;
  in.fail(Reader::path(where, key), "must be one of " + allowedNames(names));
}

template <typename E, std::size_t N>
QString nameOf(E value, const Named<E> (&names)[N]) {
  for (const auto& n : names)
    if (n.value == value) return QString::fromLatin1(n.name.data(), static_cast<qsizetype>(n.name.size()));
  return {};
}

double inRange(const Reader& in, const QJsonObject& o, std::string_view key, const std::string& where, double lo,
               double hi, std::optional<double> fallback = std::nullopt) {
  auto v = in.optNumber(o, key, where);
  if (!v) {
    if (fallback) return *fallback;
    in.fail(Reader::path(where, key), "is missing");
  }
  if (!std::isfinite(*v) || *v < lo || *v > hi)
    in.fail(Reader::path(where, key), "is " + QString::number(*v).toStdString() + ", outside the plausible range " +
                                          QString::number(lo).toStdString() + "-" + QString::number(hi).toStdString());
  return *v;
}

std::optional<double> optInRange(const Reader& in, const QJsonObject& o, std::string_view key, const std::string& where,
                                 double lo, double hi) {
  if (!in.optNumber(o, key, where)) return std::nullopt;
  return inRange(in, o, key, where, lo, hi);
}

TimePoint timeFrom(const Reader& in, const QJsonObject& o, std::string_view key, const std::string& where) {
  const std::string text = in.text(o, key, where);
  const auto t = parseUtc(text);
  if (!t) in.fail(Reader::path(where, key), "must be an ISO 8601 UTC time like 2026-11-29T10:00:00Z");
  return *t;
}

Site siteFrom(const Reader& in, const QJsonObject& o, const std::string& where) {
  in.onlyKeys(o, {"region_id", "view", "x", "y", "conditions"}, where);
  Site site;
  site.regionId = in.optText(o, "region_id", where);
  if (const auto view = in.optText(o, "view", where)) {
    site.view = anatomy::viewFromString(*view);
    if (!site.view) in.fail(where + ".view", "must be front or back");
  }
  const auto x = optInRange(in, o, "x", where, 0.0, 1.0);
  const auto y = optInRange(in, o, "y", where, 0.0, 1.0);
  if (x.has_value() != y.has_value()) in.fail(where, "needs both x and y");
  if (x) {
    if (!site.view) in.fail(where, "has x, y but no view");
    site.point = anatomy::Point{*x, *y};
  }
  if (!site.regionId && !site.point) in.fail(where, "needs region_id or view + x + y");
  if (const auto c = in.optObject(o, "conditions", where)) {
    const std::string w = where + ".conditions";
    in.onlyKeys(*c, {"infection_or_broken_skin", "malignancy", "radiotherapy", "active_bleeding", "deep_vein_thrombosis",
                     "tattoo_or_dark_skin", "recent_steroid_injection"}, w);
    SiteConditions& s = site.conditions;
    s.infectionOrBrokenSkin = in.boolOr(*c, "infection_or_broken_skin", w, false);
    s.malignancy = in.boolOr(*c, "malignancy", w, false);
    s.radiotherapy = in.boolOr(*c, "radiotherapy", w, false);
    s.activeBleeding = in.boolOr(*c, "active_bleeding", w, false);
    s.deepVeinThrombosis = in.boolOr(*c, "deep_vein_thrombosis", w, false);
    s.tattooOrDarkSkin = in.boolOr(*c, "tattoo_or_dark_skin", w, false);
    s.recentSteroidInjection = in.boolOr(*c, "recent_steroid_injection", w, false);
  }
  return site;
}

QJsonObject siteTo(const Site& site) {
  QJsonObject o;
  if (site.regionId) o["region_id"] = QString::fromStdString(*site.regionId);
  if (site.view) o["view"] = QString::fromLatin1(anatomy::toString(*site.view).data());
  if (site.point) {
    o["x"] = site.point->x;
    o["y"] = site.point->y;
  }
  const SiteConditions& s = site.conditions;
  o["conditions"] = QJsonObject{{"infection_or_broken_skin", s.infectionOrBrokenSkin},
                                {"malignancy", s.malignancy},
                                {"radiotherapy", s.radiotherapy},
                                {"active_bleeding", s.activeBleeding},
                                {"deep_vein_thrombosis", s.deepVeinThrombosis},
                                {"tattoo_or_dark_skin", s.tattooOrDarkSkin},
                                {"recent_steroid_injection", s.recentSteroidInjection}};
  return o;
}

Screening screeningFrom(const Reader& in, const QJsonObject& o) {
  const std::string w = "screening";
  in.onlyKeys(o, {"completed", "consent_recorded", "consent_names_pneumothorax", "height_cm", "weight_kg", "age_years",
                  "lacks_capacity", "guardian_consent_recorded", "pregnant", "pregnancy_weeks", "pacemaker",
                  "other_active_implant", "implanted_defibrillator", "cardiology_clearance_recorded", "anticoagulants",
                  "bleeding_disorder", "breast_implants", "lymphoedema_limbs", "prosthetic_joints", "diabetes",
                  "immunosuppression", "fainting_history", "metal_allergy", "lung_disease", "previous_pneumothorax",
                  "photosensitising_medication", "cancer_history", "open_growth_plates", "epilepsy"}, w);
  Screening s;
  s.completed = in.boolOr(o, "completed", w, false);
  s.consentRecorded = in.boolOr(o, "consent_recorded", w, false);
  s.consentNamesPneumothorax = in.boolOr(o, "consent_names_pneumothorax", w, false);
  s.heightCm = optInRange(in, o, "height_cm", w, 40.0, 250.0);
  s.weightKg = optInRange(in, o, "weight_kg", w, 2.0, 400.0);
  if (const auto age = optInRange(in, o, "age_years", w, 0.0, 130.0)) s.ageYears = static_cast<int>(*age);
  s.lacksCapacity = in.boolOr(o, "lacks_capacity", w, false);
  s.guardianConsentRecorded = in.boolOr(o, "guardian_consent_recorded", w, false);
  s.pregnant = in.boolOr(o, "pregnant", w, false);
  if (const auto weeks = optInRange(in, o, "pregnancy_weeks", w, 0.0, 45.0)) s.pregnancyWeeks = static_cast<int>(*weeks);
  s.pacemaker = in.boolOr(o, "pacemaker", w, false);
  s.otherActiveImplant = in.boolOr(o, "other_active_implant", w, false);
  s.implantedDefibrillator = in.boolOr(o, "implanted_defibrillator", w, false);
  s.cardiologyClearanceRecorded = in.boolOr(o, "cardiology_clearance_recorded", w, false);
  s.anticoagulants = in.boolOr(o, "anticoagulants", w, false);
  s.bleedingDisorder = in.boolOr(o, "bleeding_disorder", w, false);
  s.breastImplants = in.boolOr(o, "breast_implants", w, false);
  s.lymphoedemaLimbs = in.strings(o, "lymphoedema_limbs", w);
  for (const auto& limb : s.lymphoedemaLimbs)
    if (limb != "upper_right" && limb != "upper_left" && limb != "lower_right" && limb != "lower_left")
      in.fail(w + ".lymphoedema_limbs", "has \"" + limb + "\"; use upper_right, upper_left, lower_right, lower_left");
  s.prostheticJoints = in.strings(o, "prosthetic_joints", w);
  for (const auto& joint : s.prostheticJoints) {
    static const char* kJoints[] = {"shoulder", "elbow", "wrist", "hip", "knee", "ankle"};
    bool ok = false;
    for (const char* j : kJoints)
      ok = ok || joint == std::string(j) + "_right" || joint == std::string(j) + "_left";
    if (!ok) in.fail(w + ".prosthetic_joints", "has \"" + joint + "\"; use e.g. knee_left, hip_right");
  }
  s.diabetes = in.boolOr(o, "diabetes", w, false);
  s.immunosuppression = in.boolOr(o, "immunosuppression", w, false);
  s.faintingHistory = in.boolOr(o, "fainting_history", w, false);
  s.metalAllergy = in.boolOr(o, "metal_allergy", w, false);
  s.lungDisease = in.boolOr(o, "lung_disease", w, false);
  s.previousPneumothorax = in.boolOr(o, "previous_pneumothorax", w, false);
  s.photosensitisingMedication = in.boolOr(o, "photosensitising_medication", w, false);
  s.cancerHistory = in.boolOr(o, "cancer_history", w, false);
  s.openGrowthPlates = in.boolOr(o, "open_growth_plates", w, false);
  s.epilepsy = in.boolOr(o, "epilepsy", w, false);
  return s;
}

QJsonArray toArray(const std::vector<std::string>& items) {
  QJsonArray a;
  for (const auto& i : items) a.append(QString::fromStdString(i));
  return a;
}

}  // namespace

std::optional<Technique> techniqueFromName(std::string_view name) { return valueNamed(name, kTechniques); }
std::optional<Direction> directionFromName(std::string_view name) { return valueNamed(name, kDirections); }
std::optional<PatientPosition> positionFromName(std::string_view name) { return valueNamed(name, kPositions); }
std::optional<Waveform> waveformFromName(std::string_view name) { return valueNamed(name, kWaveforms); }
std::string techniqueNames() { return allowedNames(kTechniques); }
std::string directionNames() { return allowedNames(kDirections); }
std::string positionNames() { return allowedNames(kPositions); }
std::string waveformNames() { return allowedNames(kWaveforms); }

std::string formatUtc(TimePoint t) {
  return QDateTime::fromSecsSinceEpoch(t.time_since_epoch().count(), Qt::UTC)
      .toString(Qt::ISODate)
      .toStdString();
}

std::optional<TimePoint> parseUtc(std::string_view text) {
  const QDateTime dt = QDateTime::fromString(QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())), Qt::ISODate);
  if (!dt.isValid() || dt.timeSpec() == Qt::LocalTime) return std::nullopt;  // require Z or an offset
  return TimePoint(std::chrono::seconds(dt.toSecsSinceEpoch()));
}

Case caseFromJson(std::string_view jsonText) { return caseFromJsonObject(Reader("case").parseObject(jsonText)); }

Case caseFromFile(const std::string& path) {
  const QByteArray bytes = Reader("case").readFile(path);
  return caseFromJson(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
}

Case caseFromJsonObject(const QJsonObject& root) {
  const Reader in("case");
  in.onlyKeys(root, {"format", "format_version", "evaluated_at_utc", "act", "screening", "practitioner", "site",
                     "needling", "laser", "laser_device", "session_close", "history", "acknowledged",
                     "supervisor_approved", "comment"}, "");
  if (in.text(root, "format", "") != "tautband.safety.case") in.fail("format", "must be \"tautband.safety.case\"");
  if (in.number(root, "format_version", "") != Case::kFormatVersion)
    in.fail("format_version", "must be " + std::to_string(Case::kFormatVersion));
  Case c;
  c.evaluatedAt = timeFrom(in, root, "evaluated_at_utc", "");
  const auto act = actKindFromString(in.text(root, "act", ""));
  if (!act) in.fail("act", "must be needling, laser or session_close");
  c.act = *act;
  c.screening = screeningFrom(in, in.object(root, "screening", ""));

  const QJsonObject p = in.object(root, "practitioner", "");
  in.onlyKeys(p, {"user_id", "credentials"}, "practitioner");
  c.practitioner.userId = in.text(p, "user_id", "practitioner");
  for (const QJsonValue& v : in.arrayOr(p, "credentials", "practitioner")) {
    const QJsonObject o = v.toObject();
    in.onlyKeys(o, {"kind", "expires_utc"}, "practitioner.credentials[]");
    c.practitioner.credentials.push_back(
        {in.text(o, "kind", "practitioner.credentials[]"), timeFrom(in, o, "expires_utc", "practitioner.credentials[]")});
  }

  if (const auto h = in.optObject(root, "history", "")) {
    in.onlyKeys(*h, {"lung_field_insertions", "thoracic_needling_this_session"}, "history");
    for (const QJsonValue& v : in.arrayOr(*h, "lung_field_insertions", "history")) {
      const QJsonObject o = v.toObject();
      const std::string w = "history.lung_field_insertions[]";
      in.onlyKeys(o, {"at_utc", "side"}, w);
      const auto side = anatomy::sideFromString(in.text(o, "side", w));
      if (!side || *side == Side::Midline) in.fail(w + ".side", "must be right or left");
      c.history.lungFieldInsertions.push_back({timeFrom(in, o, "at_utc", w), *side});
    }
    c.history.thoracicNeedlingThisSession = in.boolOr(*h, "thoracic_needling_this_session", "history", false);
  }
  c.acknowledged = in.strings(root, "acknowledged", "");
  c.supervisorApproved = in.strings(root, "supervisor_approved", "");

  if (c.act == ActKind::Needling || c.act == ActKind::Laser) c.site = siteFrom(in, in.object(root, "site", ""), "site");

  if (c.act == ActKind::Needling) {
    const std::string w = "needling";
    const QJsonObject n = in.object(root, "needling", "");
    in.onlyKeys(n, {"needle_length_mm", "needle_gauge_mm", "needle_lot", "technique", "direction", "patient_position",
                    "ultrasound_depth_mm", "estim", "amplifier"}, w);
    NeedlingAct& a = c.needling;
    a.needleLengthMm = inRange(in, n, "needle_length_mm", w, 5.0, 150.0);
    a.needleGaugeMm = inRange(in, n, "needle_gauge_mm", w, 0.10, 0.50);
    a.needleLot = in.optText(n, "needle_lot", w).value_or("");
    a.technique = enumFrom(in, n, "technique", w, kTechniques, Technique::Flat);
    a.direction = enumFrom(in, n, "direction", w, kDirections, Direction::Perpendicular);
    a.position = enumFrom(in, n, "patient_position", w, kPositions, PatientPosition::Lying);
    a.ultrasoundDepthMm = optInRange(in, n, "ultrasound_depth_mm", w, 1.0, 150.0);
    if (const auto e = in.optObject(n, "estim", w)) {
      const std::string we = "needling.estim";
      in.onlyKeys(*e, {"waveform", "current_peak_ma", "pulse_width_us", "frequency_hz", "stimulator_max_current_ma",
                       "electrodes"}, we);
      Estim estim;
      estim.waveform = enumFrom(in, *e, "waveform", we, kWaveforms, Waveform::BiphasicSymmetric);
      estim.currentPeakMa = inRange(in, *e, "current_peak_ma", we, 0.0, 100.0);
      estim.pulseWidthUs = inRange(in, *e, "pulse_width_us", we, 1.0, 100000.0);
      estim.frequencyHz = inRange(in, *e, "frequency_hz", we, 0.1, 10000.0);
      estim.stimulatorMaxCurrentMa = inRange(in, *e, "stimulator_max_current_ma", we, 0.1, 100.0);
      const QJsonArray electrodes = in.arrayOr(*e, "electrodes", we);
      if (electrodes.size() != 2) in.fail(we + ".electrodes", "must list exactly two electrodes");
      Electrode* targets[] = {&estim.a, &estim.b};
      for (int i = 0; i < 2; ++i) {
        const std::string wi = we + ".electrodes[" + std::to_string(i) + "]";
        const QJsonObject eo = electrodes[i].toObject();
        in.onlyKeys(eo, {"site", "length_in_tissue_mm", "gauge_mm"}, wi);
        targets[i]->site = siteFrom(in, in.object(eo, "site", wi), wi + ".site");
        targets[i]->lengthInTissueMm = inRange(in, eo, "length_in_tissue_mm", wi, 1.0, 150.0);
        targets[i]->gaugeMm = inRange(in, eo, "gauge_mm", wi, 0.10, 0.50);
      }
      a.estim = estim;
    }
    if (const auto amp = in.optObject(n, "amplifier", w)) {
      in.onlyKeys(*amp, {"model", "isolated"}, w + ".amplifier");
      a.amplifier = Amplifier{in.boolOr(*amp, "isolated", w + ".amplifier", false),
                              in.optText(*amp, "model", w + ".amplifier").value_or("unknown")};
    }
  }

  if (c.act == ActKind::Laser) {
    const std::string w = "laser";
    const QJsonObject l = in.object(root, "laser", "");
    in.onlyKeys(l, {"wavelength_nm", "mode", "power_mw", "peak_power_mw", "pulse_frequency_hz", "pulse_width_ns",
                    "spot_area_cm2", "time_s", "points", "technique", "eyewear_confirmed", "eyewear_od",
                    "controlled_area_confirmed"}, w);
    LaserAct& a = c.laser;
    a.wavelengthNm = inRange(in, l, "wavelength_nm", w, 200.0, 11000.0);
    a.mode = enumFrom(in, l, "mode", w, kModes, LaserMode::Continuous);
    if (a.mode == LaserMode::Continuous) {
      a.powerMw = inRange(in, l, "power_mw", w, 0.1, 30000.0);
    } else {
      a.powerMw = inRange(in, l, "peak_power_mw", w, 0.1, 1.0e6);
      a.pulseFrequencyHz = inRange(in, l, "pulse_frequency_hz", w, 0.1, 1.0e6);
      a.pulseWidthNs = inRange(in, l, "pulse_width_ns", w, 1.0, 1.0e9);
      if (a.pulseWidthNs * 1e-9 * a.pulseFrequencyHz > 1.0) in.fail(w, "pulse width x frequency exceeds a duty cycle of 1");
    }
    a.spotAreaCm2 = inRange(in, l, "spot_area_cm2", w, 0.001, 100.0);
    a.timeS = inRange(in, l, "time_s", w, 0.1, 3600.0);
    a.points = static_cast<int>(inRange(in, l, "points", w, 1.0, 100.0, 1.0));
    a.technique = enumFrom(in, l, "technique", w, kLaserTechniques, LaserTechnique::Contact);
    a.eyewearConfirmed = in.boolOr(l, "eyewear_confirmed", w, false);
    a.eyewearOd = in.numberOr(l, "eyewear_od", w, 0.0);
    a.controlledArea = in.boolOr(l, "controlled_area_confirmed", w, false);

    const std::string wd = "laser_device";
    const QJsonObject d = in.object(root, "laser_device", "");
    in.onlyKeys(d, {"max_power_mw", "reported_mean_power_mw", "firmware_watchdog", "hardware_interlock_declared",
                    "required_od", "last_power_check"}, wd);
    LaserDevice& dev = c.laserDevice;
    dev.maxPowerMw = inRange(in, d, "max_power_mw", wd, 0.1, 30000.0);
    dev.reportedPowerMw = optInRange(in, d, "reported_mean_power_mw", wd, 0.0, 30000.0);
    dev.firmwareWatchdog = in.boolOr(d, "firmware_watchdog", wd, false);
    dev.hardwareInterlockDeclared = in.boolOr(d, "hardware_interlock_declared", wd, false);
    dev.requiredOd = inRange(in, d, "required_od", wd, 0.0, 10.0);
    if (const auto check = in.optObject(d, "last_power_check", wd)) {
      const std::string wc = wd + ".last_power_check";
      in.onlyKeys(*check, {"at_utc", "measured_mw", "nominal_mw"}, wc);
      dev.lastPowerCheck = PowerCheck{timeFrom(in, *check, "at_utc", wc), inRange(in, *check, "measured_mw", wc, 0.0, 30000.0),
                                      inRange(in, *check, "nominal_mw", wc, 0.1, 30000.0)};
    }
  }

  if (c.act == ActKind::SessionClose) {
    const std::string w = "session_close";
    const QJsonObject s = in.object(root, "session_close", "");
    in.onlyKeys(s, {"needles_in", "needles_out", "broken_needles", "broken_needle_adverse_events",
                    "pneumothorax_advice_given", "observation_min"}, w);
    SessionClose& close = c.close;
    close.needlesIn = static_cast<int>(inRange(in, s, "needles_in", w, 0.0, 1000.0));
    close.needlesOut = static_cast<int>(inRange(in, s, "needles_out", w, 0.0, 1000.0));
    close.brokenNeedles = static_cast<int>(inRange(in, s, "broken_needles", w, 0.0, 1000.0, 0.0));
    close.brokenNeedleAdverseEvents = static_cast<int>(inRange(in, s, "broken_needle_adverse_events", w, 0.0, 1000.0, 0.0));
    close.pneumothoraxAdviceGiven = in.boolOr(s, "pneumothorax_advice_given", w, false);
    close.observationMinutes = inRange(in, s, "observation_min", w, 0.0, 1440.0, 0.0);
  }
  return c;
}

QJsonObject caseToJson(const Case& c) {
  QJsonObject root{{"format", "tautband.safety.case"},
                   {"format_version", Case::kFormatVersion},
                   {"evaluated_at_utc", QString::fromStdString(formatUtc(c.evaluatedAt))},
                   {"act", QString::fromLatin1(toString(c.act).data())}};
  const Screening& s = c.screening;
  QJsonObject screening{{"completed", s.completed},
                        {"consent_recorded", s.consentRecorded},
                        {"consent_names_pneumothorax", s.consentNamesPneumothorax},
                        {"lacks_capacity", s.lacksCapacity},
                        {"guardian_consent_recorded", s.guardianConsentRecorded},
                        {"pregnant", s.pregnant},
                        {"pacemaker", s.pacemaker},
                        {"other_active_implant", s.otherActiveImplant},
                        {"implanted_defibrillator", s.implantedDefibrillator},
                        {"cardiology_clearance_recorded", s.cardiologyClearanceRecorded},
                        {"anticoagulants", s.anticoagulants},
                        {"bleeding_disorder", s.bleedingDisorder},
                        {"breast_implants", s.breastImplants},
                        {"lymphoedema_limbs", toArray(s.lymphoedemaLimbs)},
                        {"prosthetic_joints", toArray(s.prostheticJoints)},
                        {"diabetes", s.diabetes},
                        {"immunosuppression", s.immunosuppression},
                        {"fainting_history", s.faintingHistory},
                        {"metal_allergy", s.metalAllergy},
                        {"lung_disease", s.lungDisease},
                        {"previous_pneumothorax", s.previousPneumothorax},
                        {"photosensitising_medication", s.photosensitisingMedication},
                        {"cancer_history", s.cancerHistory},
                        {"open_growth_plates", s.openGrowthPlates},
                        {"epilepsy", s.epilepsy}};
  if (s.heightCm) screening["height_cm"] = *s.heightCm;
  if (s.weightKg) screening["weight_kg"] = *s.weightKg;
  if (s.ageYears) screening["age_years"] = *s.ageYears;
  if (s.pregnancyWeeks) screening["pregnancy_weeks"] = *s.pregnancyWeeks;
  root["screening"] = screening;

  QJsonArray credentials;
  for (const auto& cred : c.practitioner.credentials)
    credentials.append(QJsonObject{{"kind", QString::fromStdString(cred.kind)},
                                   {"expires_utc", QString::fromStdString(formatUtc(cred.expires))}});
  root["practitioner"] = QJsonObject{{"user_id", QString::fromStdString(c.practitioner.userId)}, {"credentials", credentials}};

  QJsonArray insertions;
  for (const auto& i : c.history.lungFieldInsertions)
    insertions.append(QJsonObject{{"at_utc", QString::fromStdString(formatUtc(i.at))},
                                  {"side", QString::fromLatin1(anatomy::toString(i.side).data())}});
  root["history"] = QJsonObject{{"lung_field_insertions", insertions},
                                {"thoracic_needling_this_session", c.history.thoracicNeedlingThisSession}};
  root["acknowledged"] = toArray(c.acknowledged);
  root["supervisor_approved"] = toArray(c.supervisorApproved);

  if (c.act != ActKind::SessionClose) root["site"] = siteTo(c.site);
  if (c.act == ActKind::Needling) {
    const NeedlingAct& a = c.needling;
    QJsonObject n{{"needle_length_mm", a.needleLengthMm},
                  {"needle_gauge_mm", a.needleGaugeMm},
                  {"needle_lot", QString::fromStdString(a.needleLot)},
                  {"technique", nameOf(a.technique, kTechniques)},
                  {"direction", nameOf(a.direction, kDirections)},
                  {"patient_position", nameOf(a.position, kPositions)}};
    if (a.ultrasoundDepthMm) n["ultrasound_depth_mm"] = *a.ultrasoundDepthMm;
    if (a.estim) {
      QJsonArray electrodes;
      for (const Electrode* e : {&a.estim->a, &a.estim->b})
        electrodes.append(QJsonObject{{"site", siteTo(e->site)},
                                      {"length_in_tissue_mm", e->lengthInTissueMm},
                                      {"gauge_mm", e->gaugeMm}});
      n["estim"] = QJsonObject{{"waveform", nameOf(a.estim->waveform, kWaveforms)},
                               {"current_peak_ma", a.estim->currentPeakMa},
                               {"pulse_width_us", a.estim->pulseWidthUs},
                               {"frequency_hz", a.estim->frequencyHz},
                               {"stimulator_max_current_ma", a.estim->stimulatorMaxCurrentMa},
                               {"electrodes", electrodes}};
    }
    if (a.amplifier)
      n["amplifier"] = QJsonObject{{"model", QString::fromStdString(a.amplifier->model)}, {"isolated", a.amplifier->isolated}};
    root["needling"] = n;
  }
  if (c.act == ActKind::Laser) {
    const LaserAct& a = c.laser;
    QJsonObject l{{"wavelength_nm", a.wavelengthNm},
                  {"mode", nameOf(a.mode, kModes)},
                  {"spot_area_cm2", a.spotAreaCm2},
                  {"time_s", a.timeS},
                  {"points", a.points},
                  {"technique", nameOf(a.technique, kLaserTechniques)},
                  {"eyewear_confirmed", a.eyewearConfirmed},
                  {"eyewear_od", a.eyewearOd},
                  {"controlled_area_confirmed", a.controlledArea}};
    if (a.mode == LaserMode::Continuous) {
      l["power_mw"] = a.powerMw;
    } else {
      l["peak_power_mw"] = a.powerMw;
      l["pulse_frequency_hz"] = a.pulseFrequencyHz;
      l["pulse_width_ns"] = a.pulseWidthNs;
    }
    root["laser"] = l;
    const LaserDevice& d = c.laserDevice;
    QJsonObject dev{{"max_power_mw", d.maxPowerMw},
                    {"firmware_watchdog", d.firmwareWatchdog},
                    {"hardware_interlock_declared", d.hardwareInterlockDeclared},
                    {"required_od", d.requiredOd}};
    if (d.reportedPowerMw) dev["reported_mean_power_mw"] = *d.reportedPowerMw;
    if (d.lastPowerCheck)
      dev["last_power_check"] = QJsonObject{{"at_utc", QString::fromStdString(formatUtc(d.lastPowerCheck->at))},
                                            {"measured_mw", d.lastPowerCheck->measuredMw},
                                            {"nominal_mw", d.lastPowerCheck->nominalMw}};
    root["laser_device"] = dev;
  }
  if (c.act == ActKind::SessionClose) {
    const SessionClose& s2 = c.close;
    root["session_close"] = QJsonObject{{"needles_in", s2.needlesIn},
                                        {"needles_out", s2.needlesOut},
                                        {"broken_needles", s2.brokenNeedles},
                                        {"broken_needle_adverse_events", s2.brokenNeedleAdverseEvents},
                                        {"pneumothorax_advice_given", s2.pneumothoraxAdviceGiven},
                                        {"observation_min", s2.observationMinutes}};
  }
  return root;
}

}  // namespace tautband::safety
