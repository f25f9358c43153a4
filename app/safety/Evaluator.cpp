#include "safety/Evaluator.h"

#include "safety/CaseJson.h"
#include "safety/Predicates.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

namespace tautband::safety {
namespace {

using anatomy::Side;
using anatomy::View;

std::string num(double value, int decimals = 1) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

Side sideFromPoint(View view, anatomy::Point p) {
  if (std::abs(p.x - 0.5) < 1e-9) return Side::Midline;
  const bool imageLeft = p.x < 0.5;
  // Front view: the patient's right is on the image left; back view: on the image right.
  return (view == View::Front) == imageLeft ? Side::Right : Side::Left;
}

bool applies(const Rule& rule, ActKind act) {
  return std::find(rule.appliesTo.begin(), rule.appliesTo.end(), act) != rule.appliesTo.end();
}

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

LungAssessment assessLung(const Facts& f, const RuleTable& rules) {
  LungAssessment l;
  const anatomy::Zone* zone = f.site.firstZoneOfKind("lung_field");
  if (!zone) return l;
  l.overLungField = true;
  l.zone = zone;
  const Screening& s = f.input.screening;
  const NeedlingAct& n = f.input.needling;
  l.lungDisease = s.lungDisease || s.previousPneumothorax;

  std::optional<double> limitMm;
  if (n.ultrasoundDepthMm) {
    limitMm = *n.ultrasoundDepthMm - f.settings.ultrasoundMarginMm;
    l.limitBasis = "ultrasound " + num(*n.ultrasoundDepthMm) + " mm - margin " + num(f.settings.ultrasoundMarginMm) + " mm";
  } else if (const DepthModel* model = rules.depthModelForZone(zone->id); !model) {
    l.noLimitReason = "no validated depth model for " + zone->structure;
  } else if (!f.bmi) {
    l.model = model;
    l.noLimitReason = "BMI not recorded (height and weight)";
  } else if (const auto depthCm = model->conservativeDepthCm(*f.bmi); !depthCm) {
    l.model = model;
    l.noLimitReason = "BMI " + num(*f.bmi) + " outside the " + model->id + " data range " + num(model->bmiMin, 0) + "-" +
                      num(model->bmiMax, 0);
  } else {
    l.model = model;
    limitMm = *depthCm * 10.0;
    l.limitBasis = model->id + " lower prediction bound at BMI " + num(*f.bmi);
  }
  if (limitMm && l.lungDisease) {
    *limitMm *= f.settings.lungDiseaseLimitFactor;
    l.limitBasis += " x " + num(f.settings.lungDiseaseLimitFactor, 2) + " (lung disease)";
  }
  if (limitMm) l.limitMm = std::max(0.0, std::floor(*limitMm * 10.0) / 10.0);  // round down to 0.1 mm

  // Technique is a condition, not an override: it counts only where the atlas says so, and
  // never with the needle aimed toward the thorax.
  const anatomy::Muscle* muscle = f.site.muscle;
  const std::string muscleName = muscle ? muscle->name : std::string("this site");
  const bool aimedIn = n.direction == Direction::TowardThorax;
  if (n.technique == Technique::Pincer) {
    if (!muscle || !muscle->liftable) {
      l.techniqueNote = "pincer grip does not count: " + muscleName + " cannot be lifted off the chest wall";
    } else if (aimedIn) {
      l.techniqueNote = "pincer grip does not count with the needle aimed toward the thorax";
    } else {
      l.techniqueProtects = true;
    }
  } else if (n.technique == Technique::RibBracketing) {
    if (!muscle || !muscle->ribPalpable) {
      l.techniqueNote = "rib bracketing does not count: no palpable rib under " + muscleName;
    } else if (aimedIn) {
      l.techniqueNote = "rib bracketing does not count with the needle aimed past the rib toward the thorax";
    } else {
      l.techniqueProtects = true;
    }
  }

  // Bilateral rule: every lung-field insertion counts, except the named exception — a
  // lifted (pincer) muscle from the clinic's list (upper trapezius) with a needle inside the limit.
  const bool exception = n.technique == Technique::Pincer && l.techniqueProtects && muscle &&
                         contains(f.settings.bilateralPincerExceptionMuscles, muscle->id) && l.limitMm &&
                         n.needleLengthMm <= *l.limitMm;
  l.countsAsLungFieldInsertion = !exception;
  return l;
}

EstimAssessment assessEstim(const Facts& f) {
  EstimAssessment e;
  if (f.input.act != ActKind::Needling || !f.input.needling.estim) return e;
  const Estim& estim = *f.input.needling.estim;
  e.present = true;
  e.a = resolveSite(f.atlas, estim.a.site);
  e.b = resolveSite(f.atlas, estim.b.site);
  // Uninsulated needle: exposed area = lateral surface pi * d * L (mm^2 -> cm^2 / 100).
  auto area = [](const Electrode& el) { return std::numbers::pi * el.gaugeMm * el.lengthInTissueMm / 100.0; };
  e.exposedAreaCm2 = std::min(area(estim.a), area(estim.b));
  // Rectangular pulses: r.m.s. = peak * sqrt(duty); a biphasic pulse has two phases.
  const bool biphasic = estim.waveform == Waveform::BiphasicSymmetric || estim.waveform == Waveform::BiphasicChargeBalanced;
  double duty = estim.pulseWidthUs * 1e-6 * estim.frequencyHz * (biphasic ? 2.0 : 1.0);
  if (estim.waveform == Waveform::DirectCurrent) duty = 1.0;
  duty = std::clamp(duty, 0.0, 1.0);
  e.currentRmsMa = estim.currentPeakMa * std::sqrt(duty);
  if (e.exposedAreaCm2 > 0.0) {
    e.densityRmsMaPerCm2 = e.currentRmsMa / e.exposedAreaCm2;
    e.densityPeakMaPerCm2 = estim.currentPeakMa / e.exposedAreaCm2;
  }
  return e;
}

void addLimits(const Facts& f, Decision& d) {
  auto& L = d.limits;
  if (f.bmi) L["bmi_kg_per_m2"] = std::round(*f.bmi * 10.0) / 10.0;
  if (f.input.act == ActKind::Needling) {
    if (f.lung.limitMm) L["max_needle_length_mm"] = *f.lung.limitMm;
    if (f.estim.present) {
      L["max_current_peak_ma"] = f.input.needling.estim->stimulatorMaxCurrentMa;
      L["estim_exposed_area_cm2"] = f.estim.exposedAreaCm2;
      L["current_rms_ma"] = f.estim.currentRmsMa;
      L["current_density_rms_ma_per_cm2"] = f.estim.densityRmsMaPerCm2;
      L["current_density_peak_ma_per_cm2"] = f.estim.densityPeakMaPerCm2;
      const double ratio = f.estim.currentRmsMa > 0.0 ? f.input.needling.estim->currentPeakMa / f.estim.currentRmsMa : 0.0;
      if (ratio > 0.0)
        L["max_current_peak_ma_below_density_threshold"] =
            f.settings.estimDensityAckMaPerCm2 * f.estim.exposedAreaCm2 * ratio;
    }
  }
  if (f.input.act == ActKind::Laser && f.dose) {
    const LaserDose& dose = *f.dose;
    L["mean_power_mw"] = dose.effectiveMeanPowerMw;
    L["energy_j"] = dose.energyJ;
    L["total_energy_j"] = dose.totalEnergyJ;
    L["fluence_j_per_cm2"] = dose.fluenceJPerCm2;
    L["irradiance_mw_per_cm2"] = dose.irradianceMwPerCm2;
    L["power_from_measurement"] = dose.fromMeasurement ? 1.0 : 0.0;
    if (f.doseTable) {
      const DoseBounds& w = f.doseTable->walt;
      const DoseBounds& c = f.doseTable->clinic;
      double maxPower = std::min(f.input.laserDevice.maxPowerMw, w.powerMaxMw);
      const bool class4 = f.input.laserDevice.maxPowerMw > f.settings.class4ThresholdMw;
      if (class4 && f.input.laser.technique != LaserTechnique::Scanning)
        maxPower = std::min(maxPower, f.settings.class4StationaryIrradianceMaxMwCm2 * f.input.laser.spotAreaCm2);
      L["max_mean_power_mw"] = maxPower;
      double maxTime = w.timeMaxS;
      double protocolMaxTime = c.timeMaxS;
      if (c.energyMaxJ > 0.0 && dose.effectiveMeanPowerMw > 0.0)
        protocolMaxTime = std::min(protocolMaxTime, dose.timeForEnergyS(c.energyMaxJ));
      L["max_time_s"] = maxTime;
      L["protocol_max_time_s"] = protocolMaxTime;
      double protocolMinTime = c.timeMinS;
      if (c.energyMinJ > 0.0 && dose.effectiveMeanPowerMw > 0.0)
        protocolMinTime = std::max(protocolMinTime, dose.timeForEnergyS(c.energyMinJ));
      L["protocol_min_time_s"] = protocolMinTime;
    }
  }
  if (f.input.act == ActKind::SessionClose && f.input.history.thoracicNeedlingThisSession)
    L["observation_min_required"] = f.settings.thoracicObservationMin;
}

}  // namespace

std::optional<double> Screening::bmi() const {
  if (!heightCm || !weightKg || *heightCm <= 0.0) return std::nullopt;
  const double m = *heightCm / 100.0;
  return *weightKg / (m * m);
}

bool ResolvedSite::inZoneKind(std::string_view kind) const { return firstZoneOfKind(kind) != nullptr; }

const anatomy::Zone* ResolvedSite::firstZoneOfKind(std::string_view kind) const {
  for (const anatomy::Zone* z : zones)
    if (z->kind == kind) return z;
  return nullptr;
}

ResolvedSite resolveSite(const anatomy::Atlas& atlas, const Site& site) {
  ResolvedSite r;
  if (site.regionId) r.region = atlas.region(*site.regionId);
  if (site.point && site.view) {
    r.view = site.view;
    r.point = site.point;
    r.zones = atlas.zonesAt(*site.view, *site.point);
    if (!r.region) {
      // Several muscles overlap on the map (e.g. levator under upper trapezius): without an
      // explicit region, take the one whose flags claim least (not liftable, no rib).
      for (const anatomy::Region* candidate : atlas.regionsAt(*site.view, *site.point)) {
        const anatomy::Muscle* m = atlas.muscleOf(*candidate);
        const int claims = (m && m->liftable ? 1 : 0) + (m && m->ribPalpable ? 1 : 0);
        const anatomy::Muscle* best = r.region ? atlas.muscleOf(*r.region) : nullptr;
        const int bestClaims = r.region ? (best && best->liftable ? 1 : 0) + (best && best->ribPalpable ? 1 : 0) : 99;
        if (claims < bestClaims) r.region = candidate;
      }
    } else if (r.region->view != *site.view || !anatomy::containsPoint(r.region->polygon, *site.point)) {
      // Region and point disagree: apply the zones of both (conservative).
      for (const anatomy::Zone* z : atlas.zonesTouching(*r.region))
        if (std::find(r.zones.begin(), r.zones.end(), z) == r.zones.end()) r.zones.push_back(z);
    }
    r.onBody = r.region != nullptr || anatomy::containsPoint(atlas.outline(*site.view), *site.point);
    r.side = r.region ? r.region->side : sideFromPoint(*site.view, *site.point);
  } else if (r.region) {
    r.view = r.region->view;
    r.point = anatomy::centroidOf(r.region->polygon);
    r.zones = atlas.zonesTouching(*r.region);
    r.onBody = true;
    r.side = r.region->side;
  }
  if (r.region) r.muscle = atlas.muscleOf(*r.region);
  return r;
}

Evaluator::Evaluator(const anatomy::Atlas& atlas, const RuleTable& rules, ClinicSettings settings)
    : atlas_(atlas), rules_(rules), settings_(std::move(settings)) {
  validate(settings_);
}

void Evaluator::replaceSettings(ClinicSettings settings) {
  validate(settings);
  settings_ = std::move(settings);
}

Facts Evaluator::analyse(const Case& input) const {
  Facts f{input, settings_, atlas_, {}, input.screening.bmi(), {}, {}, std::nullopt, nullptr};
  if (input.act != ActKind::SessionClose) f.site = resolveSite(atlas_, input.site);
  if (input.act == ActKind::Needling) {
    f.lung = assessLung(f, rules_);
    f.estim = assessEstim(f);
  }
  if (input.act == ActKind::Laser) {
    f.dose = computeLaserDose(input.laser, input.laserDevice);
    f.doseTable = settings_.doseTableFor(input.laser.wavelengthNm);
  }
  return f;
}

Evaluation Evaluator::evaluate(const Case& input) const {
  const Facts facts = analyse(input);
  Decision d;
  for (const Rule& rule : rules_.rules()) {
    if (!applies(rule, input.act)) continue;
    const PredicateSpec* spec = findPredicate(rule.predicate);  // validated at load
    const auto found = spec->fn(facts, rule.params);
    if (!found) continue;
    d.fired.push_back({rule.id, rule.level, found->empty() ? rule.message : rule.message + " (" + *found + ")",
                       rule.hazardId});
  }
  std::stable_sort(d.fired.begin(), d.fired.end(), [](const FiredRule& a, const FiredRule& b) {
    return a.level != b.level ? a.level > b.level : a.ruleId < b.ruleId;
  });
  for (const FiredRule& fired : d.fired) {
    d.level = std::max(d.level, fired.level);
    if (fired.level == Level::Ack && !contains(input.acknowledged, fired.ruleId)) d.acksRequired.push_back(fired.ruleId);
    if (fired.level == Level::Supervisor && !contains(input.supervisorApproved, fired.ruleId))
      d.supervisorRequired.push_back(fired.ruleId);
    d.message += (d.message.empty() ? "" : "\n") + std::string(toString(fired.level)) + " " + fired.ruleId + ": " +
                 fired.message;
  }
  if (d.fired.empty()) d.message = "No safety rule applies.";
  d.lungFieldInsertion = input.act == ActKind::Needling && facts.lung.countsAsLungFieldInsertion;
  d.thoracicNeedling = input.act == ActKind::Needling &&
                       (facts.lung.overLungField || facts.site.inZoneKind("thorax_front") ||
                        facts.site.inZoneKind("thorax_back"));
  addLimits(facts, d);

  Evaluation e{d, {}};
  SafetyAuditRecord& a = e.audit;
  a.kind = d.level == Level::Refuse ? SafetyAuditRecord::Kind::Refusal : SafetyAuditRecord::Kind::Evaluation;
  a.userId = input.practitioner.userId;
  a.at = input.evaluatedAt;
  a.inputs = caseToJson(input);
  a.level = d.level;
  a.ruleIds = d.ruleIds();
  a.reason = d.message;
  a.atlasVersion = atlas_.atlasVersion();
  a.rulesVersion = rules_.rulesVersion();
  a.settingsVersion = settings_.settingsVersion;
  return e;
}

std::string_view toString(SafetyAuditRecord::Kind kind) {
  switch (kind) {
    case SafetyAuditRecord::Kind::Evaluation: return "evaluation";
    case SafetyAuditRecord::Kind::Refusal: return "refusal";
    case SafetyAuditRecord::Kind::Acknowledgement: return "acknowledgement";
    case SafetyAuditRecord::Kind::SupervisorApproval: return "supervisor_approval";
  }
  return "evaluation";
}

QJsonObject SafetyAuditRecord::toJson() const {
  QJsonArray ids;
  for (const auto& id : ruleIds) ids.append(QString::fromStdString(id));
  QJsonObject o{{"kind", QString::fromLatin1(safety::toString(kind).data())},
                {"user_id", QString::fromStdString(userId)},
                {"at_utc", QString::fromStdString(formatUtc(at))},
                {"level", QString::fromLatin1(safety::toString(level).data())},
                {"rule_ids", ids},
                {"reason", QString::fromStdString(reason)},
                {"atlas_version", QString::fromStdString(atlasVersion)},
                {"rules_version", QString::fromStdString(rulesVersion)},
                {"settings_version", QString::fromStdString(settingsVersion)},
                {"inputs", inputs}};
  if (!secondUserId.empty()) o["second_user_id"] = QString::fromStdString(secondUserId);
  return o;
}

}  // namespace tautband::safety
