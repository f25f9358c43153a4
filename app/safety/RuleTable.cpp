#include "safety/RuleTable.h"

#include "safety/JsonRead.h"
#include "safety/Predicates.h"

#include <set>

namespace tautband::safety {
namespace {

using Reader = json::Reader<RuleTableError>;

const std::vector<std::string> kEmptyList;
const std::string kEmptyText;

RuleParams paramsFrom(const Reader& in, const QJsonObject& object, const std::string& where) {
  RuleParams params;
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string key = it.key().toStdString();
    const QJsonValue v = it.value();
    if (v.isString()) {
      params.strings[key] = {v.toString().toStdString()};
    } else if (v.isArray()) {
      std::vector<std::string> items;
      for (const QJsonValue& item : v.toArray()) {
        if (!item.isString()) in.fail(where + ".params." + key, "must hold strings");
        items.push_back(item.toString().toStdString());
      }
      params.strings[key] = std::move(items);
    } else if (v.isDouble()) {
      params.numbers[key] = v.toDouble();
    } else if (v.isBool()) {
      params.numbers[key] = v.toBool() ? 1.0 : 0.0;
    } else {
      in.fail(where + ".params." + key, "must be a string, array of strings, number or boolean");
    }
  }
  return params;
}

}  // namespace

const std::vector<std::string>& RuleParams::list(std::string_view key) const {
  const auto it = strings.find(key);
  return it == strings.end() ? kEmptyList : it->second;
}

const std::string& RuleParams::text(std::string_view key) const {
  const auto& items = list(key);
  return items.empty() ? kEmptyText : items.front();
}

double RuleParams::number(std::string_view key, double fallback) const {
  const auto it = numbers.find(key);
  return it == numbers.end() ? fallback : it->second;
}

std::string_view toString(ActKind kind) {
  switch (kind) {
    case ActKind::Needling: return "needling";
    case ActKind::Laser: return "laser";
    case ActKind::SessionClose: return "session_close";
  }
  return "needling";
}

std::optional<ActKind> actKindFromString(std::string_view text) {
  for (ActKind kind : {ActKind::Needling, ActKind::Laser, ActKind::SessionClose})
    if (toString(kind) == text) return kind;
  return std::nullopt;
}

RuleTable RuleTable::fromJson(std::string_view jsonText) {
  const Reader in("rules");
  const QJsonObject root = in.parseObject(jsonText);
  if (in.text(root, "format", "") != "tautband.safety.rules") in.fail("format", "must be \"tautband.safety.rules\"");
  if (in.number(root, "format_version", "") != kFormatVersion)
    in.fail("format_version", "must be " + std::to_string(kFormatVersion));

  RuleTable table;
  table.rulesVersion_ = in.text(root, "rules_version", "");

  std::set<std::string> hazardIds;
  for (const QJsonValue& value : in.arrayOr(root, "hazards", "")) {
    const QJsonObject o = value.toObject();
    Hazard h;
    h.id = in.text(o, "id", "hazards[]");
    const std::string where = "hazard " + h.id;
    if (!hazardIds.insert(h.id).second) in.fail(where, "is listed twice");
    h.hazardousSituation = in.text(o, "hazardous_situation", where);
    h.harm = in.text(o, "harm", where);
    h.severity = in.text(o, "severity", where);
    table.hazards_.push_back(std::move(h));
  }

  std::set<std::string> modelZones;
  for (const QJsonValue& value : in.arrayOr(root, "depth_models", "")) {
    const QJsonObject o = value.toObject();
    DepthModel m;
    m.id = in.text(o, "id", "depth_models[]");
    const std::string where = "depth model " + m.id;
    m.source = in.text(o, "source", where);
    m.interceptCm = in.number(o, "intercept_cm", where);
    m.slopeCmPerBmi = in.number(o, "slope_cm_per_bmi", where);
    m.residualSdCm = in.number(o, "residual_sd_cm", where);
    m.n = static_cast<int>(in.number(o, "n", where));
    m.bmiMean = in.number(o, "bmi_mean", where);
    m.bmiSd = in.number(o, "bmi_sd", where);
    m.bmiMin = in.number(o, "bmi_min", where);
    m.bmiMax = in.number(o, "bmi_max", where);
    m.tOneSided = in.number(o, "t_one_sided", where);
    m.populationMeanCm = in.number(o, "population_mean_cm", where);
    m.populationSdCm = in.number(o, "population_sd_cm", where);
    m.zoneIds = in.strings(o, "zones", where);
    if (m.n < 3 || m.bmiSd <= 0.0 || m.residualSdCm <= 0.0 || m.populationSdCm <= 0.0 || m.bmiMin >= m.bmiMax)
      in.fail(where, "has an impossible n, SD or BMI range");
    // A bound below the one-sided 95 % t quantile for any df (1.645) is not conservative.
    if (m.tOneSided < 1.645) in.fail(where, "t_one_sided must be at least 1.645 (one-sided 95 %)");
    for (const auto& zone : m.zoneIds)
      if (!modelZones.insert(zone).second) in.fail(where, "zone " + zone + " has two models");
    table.depthModels_.push_back(std::move(m));
  }

  std::set<std::string> ruleIds;
  for (const QJsonValue& value : in.arrayOr(root, "rules", "")) {
    const QJsonObject o = value.toObject();
    Rule rule;
    rule.id = in.text(o, "id", "rules[]");
    const std::string where = "rule " + rule.id;
    in.onlyKeys(o, {"id", "applies_to", "predicate", "params", "level", "message", "source", "hazard"}, where);
    if (!ruleIds.insert(rule.id).second) in.fail(where, "is listed twice");
    for (const auto& kind : in.strings(o, "applies_to", where)) {
      const auto act = actKindFromString(kind);
      if (!act) in.fail(where + ".applies_to", "has unknown act \"" + kind + "\"");
      rule.appliesTo.push_back(*act);
    }
    if (rule.appliesTo.empty()) in.fail(where + ".applies_to", "must name at least one act");
    rule.predicate = in.text(o, "predicate", where);
    const PredicateSpec* spec = findPredicate(rule.predicate);
    if (!spec) in.fail(where + ".predicate", "names no known predicate \"" + rule.predicate + "\"");
    rule.params = paramsFrom(in, in.optObject(o, "params", where).value_or(QJsonObject{}), where);
    if (const std::string error = spec->checkParams(rule.params); !error.empty()) in.fail(where + ".params", error);
    const auto level = levelFromString(in.text(o, "level", where));
    if (!level || *level == Level::Allow) in.fail(where + ".level", "must be REFUSE, LIMIT, SUPERVISOR or ACK");
    rule.level = *level;
    rule.message = in.text(o, "message", where);
    rule.source = in.text(o, "source", where);
    rule.hazardId = in.text(o, "hazard", where);
    if (!hazardIds.count(rule.hazardId)) in.fail(where + ".hazard", "names unlisted hazard " + rule.hazardId);
    table.rules_.push_back(std::move(rule));
  }
  if (table.rules_.empty()) in.fail("rules", "is empty");
  return table;
}

RuleTable RuleTable::fromFile(const std::string& path) {
  const QByteArray bytes = Reader("rules").readFile(path);
  return fromJson(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
}

const RuleTable& RuleTable::builtin() {
  static const RuleTable table = fromFile(":/tautband/safety/rules.json");
  return table;
}

const Rule* RuleTable::rule(std::string_view id) const {
  for (const auto& r : rules_)
    if (r.id == id) return &r;
  return nullptr;
}

const Hazard* RuleTable::hazard(std::string_view id) const {
  for (const auto& h : hazards_)
    if (h.id == id) return &h;
  return nullptr;
}

const DepthModel* RuleTable::depthModelForZone(std::string_view zoneId) const {
  for (const auto& m : depthModels_)
    for (const auto& zone : m.zoneIds)
      if (zone == zoneId) return &m;
  return nullptr;
}

}  // namespace tautband::safety
