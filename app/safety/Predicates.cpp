#include "safety/Predicates.h"

#include "safety/CaseJson.h"

#include <algorithm>
#include <cmath>
#include <cctype>
#include <cstdio>
#include <tuple>

namespace tautband::safety {
namespace {

using anatomy::Side;

std::string num(double value, int decimals = 1) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string dateOf(TimePoint t) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{days};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer;
}

// ---- parameter checks used at load time -------------------------------------------------
std::function<std::string(const RuleParams&)> none() {
  return [](const RuleParams&) { return std::string(); };
}

std::string requireList(const RuleParams& p, std::string_view key) {
  return p.list(key).empty() ? "needs \"" + std::string(key) + "\"" : std::string();
}

std::function<std::string(const RuleParams&)> needsKinds(std::string_view key = "kinds") {
  return [key](const RuleParams& p) { return requireList(p, key); };
}

std::function<std::string(const RuleParams&)> needsFlags(bool conditions = false) {
  return [conditions](const RuleParams& p) {
    const std::string_view key = conditions ? "conditions" : "flags";
    if (auto error = requireList(p, key); !error.empty()) return error;
    for (const auto& name : p.list(key)) {
      const bool known = conditions ? siteCondition(SiteConditions{}, name).has_value()
                                    : screeningFlag(Screening{}, name).has_value();
      if (!known) return "unknown " + std::string(conditions ? "site condition" : "screening flag") + " \"" + name + "\"";
    }
    return std::string();
  };
}

// ---- helpers over facts -------------------------------------------------------------------
bool anyKind(const ResolvedSite& site, const std::vector<std::string>& kinds, std::string* structure = nullptr) {
  for (const auto& kind : kinds) {
    if (const anatomy::Zone* zone = site.firstZoneOfKind(kind)) {
      if (structure) *structure = zone->structure;
      return true;
    }
  }
  return false;
}

std::optional<std::string> firedIf(bool condition, std::string detail = {}) {
  if (!condition) return std::nullopt;
  return detail;
}

std::optional<std::string> anyFlag(const Screening& screening, const std::vector<std::string>& flags) {
  std::vector<std::string> set;
  for (const auto& flag : flags)
    if (screeningFlag(screening, flag).value_or(false)) set.push_back(flag);
  return firedIf(!set.empty(), "screening: " + joined(set));
}

bool isNeedling(const Facts& f) { return f.input.act == ActKind::Needling; }
bool hasEstim(const Facts& f) { return isNeedling(f) && f.estim.present; }

std::optional<Side> limbSide(std::string_view limb, std::string_view prefix) {
  if (limb.substr(0, prefix.size()) != prefix) return std::nullopt;
  return anatomy::sideFromString(limb.substr(prefix.size()));
}

// True when the site is in a zone of `kind` on `side`.
bool inKindOnSide(const ResolvedSite& site, std::string_view kind, Side side) {
  return std::any_of(site.zones.begin(), site.zones.end(),
                     [&](const anatomy::Zone* z) { return z->kind == kind && z->side == side; });
}

// ---- the predicates ---------------------------------------------------------------------
std::vector<PredicateSpec> buildRegistry() {
  std::vector<PredicateSpec> r;

  r.push_back({"credential_missing_or_expired", "The practitioner has no unexpired credential of `kind`.",
               [](const RuleParams& p) { return p.text("kind").empty() ? std::string("needs \"kind\"") : std::string(); },
               [](const Facts& f, const RuleParams& p) -> std::optional<std::string> {
                 const std::string& kind = p.text("kind");
                 std::optional<TimePoint> latest;
                 for (const auto& c : f.input.practitioner.credentials)
                   if (c.kind == kind && (!latest || c.expires > *latest)) latest = c.expires;
                 if (!latest) return "no " + kind + " credential";
                 if (*latest <= f.input.evaluatedAt) return kind + " credential expired " + dateOf(*latest);
                 return std::nullopt;
               }});

  r.push_back({"screening_incomplete", "The contraindication screen is not completed.", none(),
               [](const Facts& f, const RuleParams&) { return firedIf(!f.input.screening.completed); }});

  r.push_back({"consent_missing", "No treatment consent recorded.", none(),
               [](const Facts& f, const RuleParams&) { return firedIf(!f.input.screening.consentRecorded); }});

  r.push_back({"guardian_consent_missing",
               "Minor (below the clinic's age of majority), age not recorded, or unable to consent, without guardian consent.",
               none(), [](const Facts& f, const RuleParams&) -> std::optional<std::string> {
                 const Screening& s = f.input.screening;
                 if (s.guardianConsentRecorded) return std::nullopt;
                 if (s.lacksCapacity) return "patient unable to consent";
                 if (!s.ageYears) return "age not recorded";
                 if (*s.ageYears < f.settings.ageOfMajorityYears) return "age " + std::to_string(*s.ageYears);
                 return std::nullopt;
               }});

  r.push_back({"site_not_on_atlas", "The site is not on a muscle region (needs_muscle) or not on the body.",
               none(), [](const Facts& f, const RuleParams& p) -> std::optional<std::string> {
                 const auto& regionId = f.input.site.regionId;
                 if (regionId && !f.site.region) return "unknown region \"" + *regionId + "\"";
                 return p.number("needs_muscle") != 0.0 ? firedIf(f.site.region == nullptr, "no muscle region at the site")
                                                        : firedIf(!f.site.onBody, "site outside the body outline");
               }});

  r.push_back({"lung_needle_exceeds_limit",
               "Over a lung field, the limit is known, no protective technique counts, and the needle is longer.",
               none(), [](const Facts& f, const RuleParams&) -> std::optional<std::string> {
                 const LungAssessment& l = f.lung;
                 if (!isNeedling(f) || !l.overLungField || !l.limitMm || l.techniqueProtects) return std::nullopt;
                 const double length = f.input.needling.needleLengthMm;
                 if (length <= *l.limitMm) return std::nullopt;
                 std::string detail = "needle " + num(length) + " mm > limit " + num(*l.limitMm) + " mm (" + l.limitBasis + ")";
                 if (!l.techniqueNote.empty()) detail += "; " + l.techniqueNote;
                 return detail;
               }});

  r.push_back({"lung_depth_unmodelled",
               "Over a lung field with no limit (no model for the zone, BMI missing or outside the model's range, no ultrasound depth) and no protective technique.",
               none(), [](const Facts& f, const RuleParams&) -> std::optional<std::string> {
                 const LungAssessment& l = f.lung;
                 if (!isNeedling(f) || !l.overLungField || l.limitMm || l.techniqueProtects) return std::nullopt;
                 std::string detail = l.noLimitReason;
                 if (!l.techniqueNote.empty()) detail += "; " + l.techniqueNote;
                 return detail;
               }});

  r.push_back({"lung_opposite_side_recent",
               "This insertion counts as lung-field and the patient had one on the other side within the clinic window (24 h).",
               none(), [](const Facts& f, const RuleParams&) -> std::optional<std::string> {
                 if (!isNeedling(f) || !f.lung.countsAsLungFieldInsertion || f.site.side == Side::Midline) return std::nullopt;
                 const Side other = anatomy::oppositeSide(f.site.side);
                 const auto window = std::chrono::seconds(
                     static_cast<long long>(std::llround(f.settings.bilateralThoraxWindowH * 3600.0)));
                 for (const auto& previous : f.input.history.lungFieldInsertions) {
                   if (previous.side != other) continue;
                   const auto age = f.input.evaluatedAt - previous.at;
                   if (age <= window) {
                     const double hours = std::chrono::duration<double>(age).count() / 3600.0;
                     return std::string(anatomy::toString(other)) + " side needled " + num(std::max(0.0, hours)) +
                            " h ago (window " + num(f.settings.bilateralThoraxWindowH, 0) + " h)";
                   }
                 }
                 return std::nullopt;
               }});

  r.push_back({"lung_field_with_lung_disease", "Needling over a lung field in a patient with lung disease or a previous pneumothorax.",
               none(), [](const Facts& f, const RuleParams&) {
                 return firedIf(isNeedling(f) && f.lung.overLungField && f.lung.lungDisease,
                                f.lung.limitMm ? "limit reduced to " + num(*f.lung.limitMm) + " mm" : std::string());
               }});

  r.push_back({"lung_field_without_pneumothorax_consent", "Needling over a lung field without consent naming pneumothorax.",
               none(), [](const Facts& f, const RuleParams&) {
                 return firedIf(isNeedling(f) && f.lung.overLungField && !f.input.screening.consentNamesPneumothorax);
               }});

  r.push_back({"thoracic_close_incomplete",
               "Closing a session with thoracic needling before pneumothorax advice and the observation time are recorded.",
               none(), [](const Facts& f, const RuleParams&) -> std::optional<std::string> {
                 if (f.input.act != ActKind::SessionClose || !f.input.history.thoracicNeedlingThisSession) return std::nullopt;
                 const SessionClose& c = f.input.close;
                 std::vector<std::string> missing;
                 if (!c.pneumothoraxAdviceGiven) missing.push_back("advice not recorded");
                 if (c.observationMinutes < f.settings.thoracicObservationMin)
                   missing.push_back("observed " + num(c.observationMinutes, 0) + " of " +
                                     num(f.settings.thoracicObservationMin, 0) + " min");
                 return firedIf(!missing.empty(), joined(missing));
               }});

  r.push_back({"site_in_zone_kind", "The site lies in a risk zone of one of `kinds`.", needsKinds(),
               [](const Facts& f, const RuleParams& p) {
                 std::string structure;
                 const bool hit = anyKind(f.site, p.list("kinds"), &structure);
                 return firedIf(hit, structure);
               }});

  r.push_back({"direction_in_zone_kinds", "Needle `directions` at a site in a zone of `kinds`.",
               [](const RuleParams& p) {
                 if (auto e = requireList(p, "kinds"); !e.empty()) return e;
                 if (auto e = requireList(p, "directions"); !e.empty()) return e;
                 // The case format's names (CaseJson): a misspelt direction would never fire.
                 for (const auto& name : p.list("directions"))
                   if (!directionFromName(name)) return "unknown direction \"" + name + "\" (known: " + directionNames() + ")";
                 return std::string();
               },
               [](const Facts& f, const RuleParams& p) -> std::optional<std::string> {
                 if (!isNeedling(f) || !anyKind(f.site, p.list("kinds"))) return std::nullopt;
                 for (const auto& name : p.list("directions"))
                   if (directionFromName(name) == f.input.needling.direction) return "direction " + name;
                 return std::nullopt;
               }});

  r.push_back({"screening_flag", "Any of the screening `flags` is set.", needsFlags(),
               [](const Facts& f, const RuleParams& p) { return anyFlag(f.input.screening, p.list("flags")); }});

  r.push_back({"flag_and_zone", "Any of the screening `flags` is set and the site is in a zone of `kinds`.",
               [](const RuleParams& p) {
                 auto e = needsFlags()(p);
                 return e.empty() ? requireList(p, "kinds") : e;
               },
               [](const Facts& f, const RuleParams& p) -> std::optional<std::string> {
                 std::string structure;
                 if (!anyKind(f.site, p.list("kinds"), &structure)) return std::nullopt;
                 auto flagged = anyFlag(f.input.screening, p.list("flags"));
                 if (!flagged) return std::nullopt;
                 return *flagged + " at " + structure;
               }});

  r.push_back({"site_in_listed_limb", "The site is on a limb listed for lymphoedema or node dissection.", none(),
               [](const Facts& f, const RuleParams&) -> std::optional<std::string> {
                 for (const auto& limb : f.input.screening.lymphoedemaLimbs) {
                   for (std::string_view kind : {"upper", "lower"}) {
                     const auto side = limbSide(limb, std::string(kind) + "_");
                     if (side && inKindOnSide(f.site, std::string(kind) + "_limb", *side)) return "limb " + limb;
                   }
                 }
                 return std::nullopt;
               }});

  r.push_back({"site_at_listed_joint", "The site is in the region of a listed prosthetic joint.", none(),
               [](const Facts& f, const RuleParams&) -> std::optional<std::string> {
                 for (const auto& joint : f.input.screening.prostheticJoints) {
                   const auto underscore = joint.rfind('_');
                   if (underscore == std::string::npos) continue;
                   const auto side = anatomy::sideFromString(std::string_view(joint).substr(underscore + 1));
                   if (side && inKindOnSide(f.site, "joint_" + joint.substr(0, underscore), *side))
                     return "prosthetic " + joint;
                 }
                 return std::nullopt;
               }});

  r.push_back({"fainting_not_lying", "Fainting history and the patient is not lying down.", none(),
               [](const Facts& f, const RuleParams&) {
                 return firedIf(f.input.screening.faintingHistory && f.input.needling.position != PatientPosition::Lying);
               }});

  r.push_back({"first_trimester_in_zone",
               "Pregnant in the first trimester (or weeks not recorded) and the site is in a zone of `kinds`.",
               needsKinds(), [](const Facts& f, const RuleParams& p) -> std::optional<std::string> {
                 const Screening& s = f.input.screening;
                 if (!s.pregnant) return std::nullopt;
                 if (s.pregnancyWeeks && *s.pregnancyWeeks > f.settings.firstTrimesterWeeks) return std::nullopt;
                 std::string structure;
                 if (!anyKind(f.site, p.list("kinds"), &structure)) return std::nullopt;
                 return (s.pregnancyWeeks ? "week " + std::to_string(*s.pregnancyWeeks) : std::string("weeks not recorded")) +
                        ", " + structure;
               }});

  r.push_back({"site_condition", "Any of the site `conditions` is recorded at this site.", needsFlags(true),
               [](const Facts& f, const RuleParams& p) -> std::optional<std::string> {
                 std::vector<std::string> set;
                 for (const auto& name : p.list("conditions"))
                   if (siteCondition(f.input.site.conditions, name).value_or(false)) set.push_back(name);
                 return firedIf(!set.empty(), "at this site: " + joined(set));
               }});

  r.push_back({"needle_lot_missing", "No needle lot number.", none(), [](const Facts& f, const RuleParams&) {
                 const auto& lot = f.input.needling.needleLot;
                 return firedIf(std::all_of(lot.begin(), lot.end(), [](unsigned char c) { return std::isspace(c); }));
               }});

  r.push_back({"needles_not_reconciled", "Needles logged in differ from needles logged out.", none(),
               [](const Facts& f, const RuleParams&) {
                 const SessionClose& c = f.input.close;
                 return firedIf(c.needlesIn != c.needlesOut, std::to_string(c.needlesIn) + " in, " +
                                                                 std::to_string(c.needlesOut) + " out");
               }});

  r.push_back({"broken_needle_without_adverse_event", "More broken needles than adverse events recorded for them.", none(),
               [](const Facts& f, const RuleParams&) {
                 const SessionClose& c = f.input.close;
                 return firedIf(c.brokenNeedles > c.brokenNeedleAdverseEvents,
                                std::to_string(c.brokenNeedles) + " broken, " +
                                    std::to_string(c.brokenNeedleAdverseEvents) + " adverse events");
               }});

  r.push_back({"estim_with_flag", "E-stim requested and a screening `flags` is set.", needsFlags(),
               [](const Facts& f, const RuleParams& p) -> std::optional<std::string> {
                 if (!hasEstim(f)) return std::nullopt;
                 return anyFlag(f.input.screening, p.list("flags"));
               }});

  r.push_back({"estim_active_implant_uncleared", "E-stim with a pacemaker or other active implant and no recorded clearance.",
               none(), [](const Facts& f, const RuleParams&) -> std::optional<std::string> {
                 const Screening& s = f.input.screening;
                 if (!hasEstim(f) || !(s.pacemaker || s.otherActiveImplant) || s.cardiologyClearanceRecorded)
                   return std::nullopt;
                 return s.pacemaker ? "pacemaker, no clearance recorded" : "active implant, no clearance recorded";
               }});

  r.push_back({"estim_electrode_in_zone_kind", "An e-stim electrode lies in a zone of `kinds`.", needsKinds(),
               [](const Facts& f, const RuleParams& p) -> std::optional<std::string> {
                 if (!hasEstim(f)) return std::nullopt;
                 std::string structure;
                 if (anyKind(f.estim.a, p.list("kinds"), &structure) || anyKind(f.estim.b, p.list("kinds"), &structure))
                   return "electrode at " + structure;
                 return std::nullopt;
               }});

  r.push_back({"estim_electrodes_span_kinds", "One electrode in `kinds_a`, the other in `kinds_b`.",
               [](const RuleParams& p) {
                 auto e = requireList(p, "kinds_a");
                 return e.empty() ? requireList(p, "kinds_b") : e;
               },
               [](const Facts& f, const RuleParams& p) -> std::optional<std::string> {
                 if (!hasEstim(f)) return std::nullopt;
                 const auto& ka = p.list("kinds_a");
                 const auto& kb = p.list("kinds_b");
                 const bool spans = (anyKind(f.estim.a, ka) && anyKind(f.estim.b, kb)) ||
                                    (anyKind(f.estim.a, kb) && anyKind(f.estim.b, ka));
                 return firedIf(spans, "electrodes on " + joined(ka) + " and " + joined(kb));
               }});

  r.push_back({"estim_path_crosses_kind",
               "An electrode is in, or the straight path between two electrodes in one view crosses, a zone of `kinds`.",
               needsKinds(), [](const Facts& f, const RuleParams& p) -> std::optional<std::string> {
                 if (!hasEstim(f)) return std::nullopt;
                 const auto& kinds = p.list("kinds");
                 std::string structure;
                 if (anyKind(f.estim.a, kinds, &structure) || anyKind(f.estim.b, kinds, &structure))
                   return "electrode at " + structure;
                 const ResolvedSite& a = f.estim.a;
                 const ResolvedSite& b = f.estim.b;
                 if (!a.view || !b.view || *a.view != *b.view || !a.point || !b.point) return std::nullopt;
                 for (const anatomy::Zone* zone : f.atlas.zonesOnSegment(*a.view, *a.point, *b.point))
                   if (std::find(kinds.begin(), kinds.end(), zone->kind) != kinds.end())
                     return "path crosses " + zone->structure;
                 return std::nullopt;
               }});

  r.push_back({"estim_electrode_unresolved", "An e-stim electrode's site is not on the body map (unknown region, point off the body).",
               none(), [](const Facts& f, const RuleParams&) -> std::optional<std::string> {
                 if (!hasEstim(f)) return std::nullopt;
                 const Estim& e = *f.input.needling.estim;
                 for (const auto& [resolved, electrode, name] :
                      {std::tuple{&f.estim.a, &e.a, "first"}, std::tuple{&f.estim.b, &e.b, "second"}}) {
                   if (resolved->onBody) continue;
                   return std::string(name) + " electrode " +
                          (electrode->site.regionId ? "has unknown region \"" + *electrode->site.regionId + "\""
                                                    : std::string("is off the body"));
                 }
                 return std::nullopt;
               }});

  r.push_back({"estim_current_above_cap", "Requested peak current above the stimulator's declared output cap.", none(),
               [](const Facts& f, const RuleParams&) -> std::optional<std::string> {
                 if (!hasEstim(f)) return std::nullopt;
                 const Estim& e = *f.input.needling.estim;
                 return firedIf(e.currentPeakMa > e.stimulatorMaxCurrentMa,
                                num(e.currentPeakMa) + " mA > cap " + num(e.stimulatorMaxCurrentMa) + " mA");
               }});

  r.push_back({"estim_not_charge_balanced", "E-stim waveform is monophasic or DC.", none(),
               [](const Facts& f, const RuleParams&) {
                 if (!hasEstim(f)) return std::optional<std::string>();
                 const Waveform w = f.input.needling.estim->waveform;
                 return firedIf(w == Waveform::Monophasic || w == Waveform::DirectCurrent,
                                w == Waveform::DirectCurrent ? "DC" : "monophasic");
               }});

  r.push_back({"estim_density_above", "R.m.s. current density over the smaller exposed needle area exceeds the clinic threshold (2 mA/cm²).",
               none(), [](const Facts& f, const RuleParams&) {
                 if (!hasEstim(f)) return std::optional<std::string>();
                 return firedIf(f.estim.densityRmsMaPerCm2 > f.settings.estimDensityAckMaPerCm2,
                                num(f.estim.densityRmsMaPerCm2, 2) + " mA/cm² r.m.s. over " +
                                    num(f.estim.exposedAreaCm2, 3) + " cm²");
               }});

  r.push_back({"amplifier_not_isolated",
               "A non-isolated amplifier is connected to a needle and the clinic research setting equals `research_allowed`.",
               none(), [](const Facts& f, const RuleParams& p) -> std::optional<std::string> {
                 if (!isNeedling(f) || !f.input.needling.amplifier || f.input.needling.amplifier->isolated) return std::nullopt;
                 if (f.settings.researchAmplifierAllowed != (p.number("research_allowed") != 0.0)) return std::nullopt;
                 return "amplifier " + f.input.needling.amplifier->model;
               }});

  r.push_back({"laser_eyewear_inadequate", "Eyewear not confirmed, or its OD is below the manufacturer's for this wavelength and mode.",
               none(), [](const Facts& f, const RuleParams&) -> std::optional<std::string> {
                 const LaserAct& a = f.input.laser;
                 if (!a.eyewearConfirmed) return "eyewear not confirmed";
                 if (a.eyewearOd < f.input.laserDevice.requiredOd)
                   return "OD " + num(a.eyewearOd) + " < required " + num(f.input.laserDevice.requiredOd);
                 return std::nullopt;
               }});

  r.push_back({"laser_area_uncontrolled", "Controlled area not confirmed.", none(),
               [](const Facts& f, const RuleParams&) { return firedIf(!f.input.laser.controlledArea); }});

  r.push_back({"laser_power_check_overdue", "No output power check, or the last is older than the clinic interval.", none(),
               [](const Facts& f, const RuleParams&) -> std::optional<std::string> {
                 const auto& check = f.input.laserDevice.lastPowerCheck;
                 if (!check) return "no power check recorded";
                 const double days = std::chrono::duration<double>(f.input.evaluatedAt - check->at).count() / 86400.0;
                 return firedIf(days > f.settings.powerCheckIntervalDays,
                                "last check " + dateOf(check->at) + " (" + num(days, 0) + " days; interval " +
                                    num(f.settings.powerCheckIntervalDays, 0) + ")");
               }});

  r.push_back({"laser_power_out_of_tolerance", "Measured output differs from the set output by more than the tolerance.",
               none(), [](const Facts& f, const RuleParams&) -> std::optional<std::string> {
                 const double tol = f.settings.powerTolerance;
                 const auto& check = f.input.laserDevice.lastPowerCheck;
                 if (check && check->nominalMw > 0.0 && std::abs(check->measuredMw / check->nominalMw - 1.0) > tol)
                   return "power check " + num(check->measuredMw) + " mW for " + num(check->nominalMw) + " mW set";
                 const auto& reported = f.input.laserDevice.reportedPowerMw;
                 if (reported && f.dose && f.dose->requestedMeanPowerMw > 0.0 &&
                     std::abs(*reported / f.dose->requestedMeanPowerMw - 1.0) > tol)
                   return "device reports " + num(*reported) + " mW for " + num(f.dose->requestedMeanPowerMw) + " mW set";
                 return std::nullopt;
               }});

  r.push_back({"laser_without_independent_stop", "The laser has no firmware watchdog and no declared hardware interlock loop.",
               none(), [](const Facts& f, const RuleParams&) {
                 const LaserDevice& d = f.input.laserDevice;
                 return firedIf(!d.firmwareWatchdog && !d.hardwareInterlockDeclared);
               }});

  r.push_back({"laser_wavelength_without_table", "No dose table covers the wavelength.", none(),
               [](const Facts& f, const RuleParams&) {
                 return firedIf(f.doseTable == nullptr, num(f.input.laser.wavelengthNm, 0) + " nm");
               }});

  r.push_back({"laser_power_above_device", "Requested mean power above the device's declared maximum.", none(),
               [](const Facts& f, const RuleParams&) {
                 if (!f.dose) return std::optional<std::string>();
                 return firedIf(f.dose->requestedMeanPowerMw > f.input.laserDevice.maxPowerMw,
                                num(f.dose->requestedMeanPowerMw) + " mW > device " +
                                    num(f.input.laserDevice.maxPowerMw) + " mW");
               }});

  r.push_back({"laser_outside_walt", "Mean power (`quantity` power) or time per point (`quantity` time) outside the WALT bounds.",
               [](const RuleParams& p) {
                 const auto& q = p.text("quantity");
                 return (q == "power" || q == "time") ? std::string() : std::string("\"quantity\" must be power or time");
               },
               [](const Facts& f, const RuleParams& p) -> std::optional<std::string> {
                 if (!f.doseTable || !f.dose) return std::nullopt;
                 const DoseBounds& w = f.doseTable->walt;
                 if (p.text("quantity") == "power") {
                   const double mw = f.dose->effectiveMeanPowerMw;
                   return firedIf(mw < w.powerMinMw || mw > w.powerMaxMw,
                                  num(mw) + " mW outside " + num(w.powerMinMw, 0) + "-" + num(w.powerMaxMw, 0) + " mW");
                 }
                 const double t = f.input.laser.timeS;
                 return firedIf(t < w.timeMinS || t > w.timeMaxS,
                                num(t, 0) + " s outside " + num(w.timeMinS, 0) + "-" + num(w.timeMaxS, 0) + " s");
               }});

  r.push_back({"laser_outside_clinic_protocol", "Power, time or energy per point outside the clinic's protocol table.",
               none(), [](const Facts& f, const RuleParams&) -> std::optional<std::string> {
                 if (!f.doseTable || !f.dose) return std::nullopt;
                 const DoseBounds& c = f.doseTable->clinic;
                 std::vector<std::string> out;
                 const double mw = f.dose->effectiveMeanPowerMw;
                 if (mw < c.powerMinMw || mw > c.powerMaxMw)
                   out.push_back("power " + num(mw) + " mW (protocol " + num(c.powerMinMw) + "-" + num(c.powerMaxMw) + " mW)");
                 if (f.input.laser.timeS < c.timeMinS || f.input.laser.timeS > c.timeMaxS)
                   out.push_back("time " + num(f.input.laser.timeS, 0) + " s (protocol " + num(c.timeMinS, 0) + "-" +
                                 num(c.timeMaxS, 0) + " s)");
                 const double e = f.dose->energyJ;
                 if ((c.energyMinJ > 0.0 && e < c.energyMinJ) || (c.energyMaxJ > 0.0 && e > c.energyMaxJ))
                   out.push_back("energy " + num(e, 2) + " J per point (protocol " + num(c.energyMinJ) + "-" +
                                 num(c.energyMaxJ) + " J)");
                 return firedIf(!out.empty(), joined(out));
               }});

  r.push_back({"laser_class4_stationary_irradiance",
               "Class 4 device (max above the class threshold) used without scanning at an irradiance above the thermal cap.",
               none(), [](const Facts& f, const RuleParams&) -> std::optional<std::string> {
                 if (!f.dose) return std::nullopt;
                 const bool class4 = f.input.laserDevice.maxPowerMw > f.settings.class4ThresholdMw;
                 if (!class4 || f.input.laser.technique == LaserTechnique::Scanning) return std::nullopt;
                 return firedIf(f.dose->irradianceMwPerCm2 > f.settings.class4StationaryIrradianceMaxMwCm2,
                                num(f.dose->irradianceMwPerCm2, 0) + " mW/cm² > " +
                                    num(f.settings.class4StationaryIrradianceMaxMwCm2, 0) + " mW/cm²");
               }});

  return r;
}

}  // namespace

const std::vector<PredicateSpec>& predicateRegistry() {
  static const std::vector<PredicateSpec> registry = buildRegistry();
  return registry;
}

const PredicateSpec* findPredicate(std::string_view name) {
  for (const auto& spec : predicateRegistry())
    if (spec.name == name) return &spec;
  return nullptr;
}

std::optional<bool> screeningFlag(const Screening& s, std::string_view name) {
  static constexpr std::pair<std::string_view, bool Screening::*> kFlags[] = {
      {"anticoagulants", &Screening::anticoagulants},
      {"bleeding_disorder", &Screening::bleedingDisorder},
      {"breast_implants", &Screening::breastImplants},
      {"diabetes", &Screening::diabetes},
      {"immunosuppression", &Screening::immunosuppression},
      {"fainting_history", &Screening::faintingHistory},
      {"metal_allergy", &Screening::metalAllergy},
      {"lung_disease", &Screening::lungDisease},
      {"previous_pneumothorax", &Screening::previousPneumothorax},
      {"pregnant", &Screening::pregnant},
      {"pacemaker", &Screening::pacemaker},
      {"other_active_implant", &Screening::otherActiveImplant},
      {"implanted_defibrillator", &Screening::implantedDefibrillator},
      {"photosensitising_medication", &Screening::photosensitisingMedication},
      {"cancer_history", &Screening::cancerHistory},
      {"open_growth_plates", &Screening::openGrowthPlates},
      {"epilepsy", &Screening::epilepsy},
  };
  for (const auto& [key, member] : kFlags)
    if (key == name) return s.*member;
  return std::nullopt;
}

std::optional<bool> siteCondition(const SiteConditions& c, std::string_view name) {
  static constexpr std::pair<std::string_view, bool SiteConditions::*> kConditions[] = {
      {"infection_or_broken_skin", &SiteConditions::infectionOrBrokenSkin},
      {"malignancy", &SiteConditions::malignancy},
      {"radiotherapy", &SiteConditions::radiotherapy},
      {"active_bleeding", &SiteConditions::activeBleeding},
      {"deep_vein_thrombosis", &SiteConditions::deepVeinThrombosis},
      {"tattoo_or_dark_skin", &SiteConditions::tattooOrDarkSkin},
      {"recent_steroid_injection", &SiteConditions::recentSteroidInjection},
  };
  for (const auto& [key, member] : kConditions)
    if (key == name) return c.*member;
  return std::nullopt;
}

}  // namespace tautband::safety
