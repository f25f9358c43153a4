#include "ui/CaseInputs.h"

#include "safety/CaseJson.h"

#include <QDate>
#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <set>

namespace tautband::ui {

namespace {

void addConditions(safety::SiteConditions& c, const safety::SiteConditions& at) {
  c.infectionOrBrokenSkin = c.infectionOrBrokenSkin || at.infectionOrBrokenSkin;
  c.malignancy = c.malignancy || at.malignancy;
  c.radiotherapy = c.radiotherapy || at.radiotherapy;
  c.activeBleeding = c.activeBleeding || at.activeBleeding;
  c.deepVeinThrombosis = c.deepVeinThrombosis || at.deepVeinThrombosis;
  c.tattooOrDarkSkin = c.tattooOrDarkSkin || at.tattooOrDarkSkin;
  c.recentSteroidInjection = c.recentSteroidInjection || at.recentSteroidInjection;
}

}  // namespace

safety::SiteConditions PatientFacts::conditionsAt(const std::optional<std::string>& regionId) const {
  safety::Site site;
  site.regionId = regionId;
  return conditionsAt(site);
}

safety::SiteConditions PatientFacts::conditionsAt(const safety::Site& site) const {
  safety::SiteConditions c = everySite;
  if (siteConditions.empty()) return c;
  std::set<std::string> regions;
  bool whereKnown = true;
  if (site.regionId) regions.insert(*site.regionId);
  if (site.point && site.view) {
    if (atlas) {
      for (const auto* r : atlas->regionsAt(*site.view, *site.point)) regions.insert(r->id);
    } else {
      whereKnown = false;  // the point may lie in regions we cannot name
    }
  }
  if (regions.empty()) whereKnown = false;
  for (const auto& [id, at] : siteConditions)
    if (!whereKnown || regions.count(id)) addConditions(c, at);
  return c;
}

void CaseInputs::applyTo(safety::Case& c) const {
  c.practitioner = practitioner.value_or(safety::Practitioner{});
  if (!patient) {
    c.screening = safety::Screening{};  // not screened: PF-NOT-SCREENED fires
    c.history.lungFieldInsertions.clear();
    return;
  }
  c.screening = patient->screening;
  c.site.conditions = patient->conditionsAt(c.site);
  // The rules read one site's conditions: an e-stim needle elsewhere brings its site's
  // conditions in, so a condition recorded at the second needle's region still refuses.
  if (c.needling.estim) {
    addConditions(c.site.conditions, patient->conditionsAt(c.needling.estim->a.site));
    addConditions(c.site.conditions, patient->conditionsAt(c.needling.estim->b.site));
  }
  c.history.lungFieldInsertions = patient->lungFieldInsertions;
}

namespace screening {

const std::vector<FieldMapping>& mappings() {
  // The form's questions are broader than the rules' facts: a "yes" sets every fact it may
  // mean (conservative). Where the form cannot say which (e.g. pacemaker or ICD), the
  // stricter rule applies until the screen records it precisely.
  static const std::vector<FieldMapping> kMappings = [] {
    std::vector<FieldMapping> m = {
        {"pregnancy", {"pregnant"}, {}},  // weeks not asked: first-trimester rules apply
        {"pacemaker", {"pacemaker", "implanted_defibrillator", "other_active_implant"}, {}},
        {"implants", {"breast_implants"}, {}},
        {"anticoagulants", {"anticoagulants", "bleeding_disorder"}, {}},
        {"malignancy", {"cancer_history"}, {"malignancy"}},
        {"epilepsy", {"epilepsy"}, {}},
        {"photosensitivity", {"photosensitising_medication"}, {}},
        {"recent_radiotherapy", {}, {"radiotherapy"}},
        {"lung_disease", {"lung_disease", "previous_pneumothorax"}, {}},
        {"local_infection", {}, {"infection_or_broken_skin"}},
        {"impaired_healing", {"immunosuppression", "diabetes"}, {}},
        {"needle_fear", {"fainting_history"}, {}},
        {"metal_allergy", {"metal_allergy"}, {}},
    };
    // The rules' own boolean names are understood as they are.
    for (const char* flag : {"pregnant", "other_active_implant", "implanted_defibrillator", "bleeding_disorder",
                             "breast_implants", "diabetes", "immunosuppression", "fainting_history",
                             "previous_pneumothorax", "photosensitising_medication", "cancer_history",
                             "open_growth_plates", "cardiology_clearance_recorded"})
      m.push_back({flag, {flag}, {}});
    for (const char* condition : {"infection_or_broken_skin", "radiotherapy", "active_bleeding", "deep_vein_thrombosis",
                                  "tattoo_or_dark_skin", "recent_steroid_injection"})
      m.push_back({condition, {}, {condition}});
    return m;
  }();
  return kMappings;
}

const FieldMapping* mappingFor(const QString& formKey) {
  for (const auto& m : mappings())
    if (formKey == QLatin1String(m.formKey)) return &m;
  return nullptr;
}

namespace {

// Read back through the safety library's case parser: the names are the ones the rules read.
// Throws CaseFormatError on a wrong name.
safety::Case parsedProbe(const QJsonObject& screening, const QJsonObject& conditions) {
  const QJsonObject probe{{"format", "tautband.safety.case"},
                          {"format_version", safety::Case::kFormatVersion},
                          {"evaluated_at_utc", "2026-01-01T00:00:00Z"},
                          {"act", "needling"},
                          {"screening", screening},
                          {"practitioner", QJsonObject{{"user_id", "mapping"}}},
                          {"site", QJsonObject{{"region_id", "upper_trapezius_right"}, {"conditions", conditions}}},
                          {"needling", QJsonObject{{"needle_length_mm", 15}, {"needle_gauge_mm", 0.25}}}};
  return safety::caseFromJsonObject(probe);
}

}  // namespace

Mapped fromAnswers(const QJsonObject& answers) {
  Mapped out;
  QJsonObject screening;
  QJsonObject conditions;
  for (auto it = answers.begin(); it != answers.end(); ++it) {
    if (it.key() == QLatin1String("details") || !it.value().isBool()) continue;
    const FieldMapping* m = mappingFor(it.key());
    if (!m) {
      if (it.value().toBool()) out.notUnderstood << it.key();
      continue;
    }
    if (!it.value().toBool()) continue;
    for (const char* key : m->screeningKeys) screening.insert(QLatin1String(key), true);
    for (const char* key : m->siteConditions) conditions.insert(QLatin1String(key), true);
  }
  const safety::Case parsed = parsedProbe(screening, conditions);
  out.screening = parsed.screening;
  out.everySite = parsed.site.conditions;
  return out;
}

// ----- form version 2 -----

const std::vector<TopicMapping>& topicsV2() {
  // One entry per tile of the form. Where a follow-up says precisely which fact, only that fact
  // is set; a "yes" whose follow-up is empty means everything the tile may mean (as version 1).
  static const std::vector<TopicMapping> kTopics = {
      {"pregnancy", FollowUp::PregnancyWeeks, {"pregnant"}, {}},
      {"pacemaker", FollowUp::ImplantTypes, {}, {}},
      {"implants", FollowUp::None, {"breast_implants"}, {}},
      {"anticoagulants", FollowUp::None, {"anticoagulants", "bleeding_disorder"}, {}},
      {"malignancy", FollowUp::Regions, {"cancer_history"}, {"malignancy"}},
      {"cancer_history", FollowUp::None, {"cancer_history"}, {}},
      {"recent_radiotherapy", FollowUp::Regions, {}, {"radiotherapy"}},
      {"local_infection", FollowUp::Regions, {}, {"infection_or_broken_skin"}},
      {"deep_vein_thrombosis", FollowUp::Regions, {}, {"deep_vein_thrombosis", "active_bleeding"}},
      {"tattoo_or_dark_skin", FollowUp::Regions, {}, {"tattoo_or_dark_skin"}},
      {"recent_steroid_injection", FollowUp::Regions, {}, {"recent_steroid_injection"}},
      {"lymphoedema", FollowUp::Limbs, {}, {}},
      {"prosthetic_joint", FollowUp::Joints, {}, {}},
      {"epilepsy", FollowUp::None, {"epilepsy"}, {}},
      {"photosensitivity", FollowUp::None, {"photosensitising_medication"}, {}},
      {"lung_disease", FollowUp::None, {"lung_disease", "previous_pneumothorax"}, {}},
      {"impaired_healing", FollowUp::None, {"immunosuppression", "diabetes"}, {}},
      {"needle_fear", FollowUp::None, {"fainting_history"}, {}},
      {"metal_allergy", FollowUp::None, {"metal_allergy"}, {}},
      {"open_growth_plates", FollowUp::None, {"open_growth_plates"}, {}},
  };
  return kTopics;
}

const TopicMapping* topicFor(const QString& key) {
  for (const auto& t : topicsV2())
    if (key == QLatin1String(t.key)) return &t;
  return nullptr;
}

QStringList followUpKeys(const TopicMapping& topic) {
  const QString key = QLatin1String(topic.key);
  switch (topic.followUp) {
    case FollowUp::None: return {};
    case FollowUp::PregnancyWeeks: return {key + QStringLiteral("_weeks")};
    case FollowUp::ImplantTypes: return {key + QStringLiteral("_devices"), key + QStringLiteral("_clearance")};
    case FollowUp::Regions:
    case FollowUp::Limbs:
    case FollowUp::Joints: return {key + QStringLiteral("_where")};
  }
  return {};
}

const std::vector<const char*>& limbNames() {
  static const std::vector<const char*> kLimbs = {"upper_right", "upper_left", "lower_right", "lower_left"};
  return kLimbs;
}

const std::vector<const char*>& jointNames() {
  static const std::vector<const char*> kJoints = {"shoulder_right", "shoulder_left", "elbow_right", "elbow_left",
                                                   "wrist_right",    "wrist_left",    "hip_right",   "hip_left",
                                                   "knee_right",     "knee_left",     "ankle_right", "ankle_left"};
  return kJoints;
}

namespace {

constexpr const char* kEverySite = "every_site";

bool oneOf(const QString& value, const std::vector<const char*>& names) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return value == QLatin1String(n); });
}

// A list of strings, or nullopt when the value is not one (absent = empty list).
std::optional<QStringList> stringList(const QJsonValue& v) {
  if (v.isUndefined() || v.isNull()) return QStringList{};
  if (!v.isArray()) return std::nullopt;
  QStringList out;
  for (const QJsonValue& item : v.toArray()) {
    if (!item.isString()) return std::nullopt;
    out << item.toString();
  }
  return out;
}

QJsonArray namesArray(const std::vector<const char*>& names) {
  QJsonArray a;
  for (const char* n : names) a.append(QLatin1String(n));
  return a;
}

}  // namespace

Mapped fromAnswersV2(const QJsonObject& answers, const anatomy::Atlas& atlas) {
  Mapped out;
  QStringList problems;
  // Every key must be a topic, a topic's follow-up, or one of the form's other fields.
  for (auto it = answers.begin(); it != answers.end(); ++it) {
    const QString& key = it.key();
    if (key == QLatin1String("details") || key == QLatin1String("form_version")) {
      if (!it.value().isString()) problems << QStringLiteral("%1 is not text").arg(key);
      continue;
    }
    if (key == QLatin1String("height_cm") || key == QLatin1String("weight_kg") || key == QLatin1String("bmi")) {
      if (!it.value().isDouble()) problems << QStringLiteral("%1 is not a number").arg(key);
      continue;
    }
    if (topicFor(key)) {
      if (!it.value().isBool()) problems << QStringLiteral("%1 is not yes/no").arg(key);
      continue;
    }
    bool followUp = false;
    for (const auto& t : topicsV2()) followUp = followUp || followUpKeys(t).contains(key);
    if (!followUp) problems << QStringLiteral("unknown answer \"%1\"").arg(key);
  }
  if (answers.contains(QStringLiteral("form_version")) &&
      answers.value(QStringLiteral("form_version")).toString() != QLatin1String(kFormVersion2))
    problems << QStringLiteral("form_version \"%1\" inside the answers").arg(answers.value(QStringLiteral("form_version")).toString());

  QJsonObject screening;
  QJsonObject everySite;
  std::map<std::string, QJsonObject> bySite;
  auto setFlags = [&screening](const std::vector<const char*>& keys) {
    for (const char* k : keys) screening.insert(QLatin1String(k), true);
  };
  for (const auto& t : topicsV2()) {
    const QString key = QLatin1String(t.key);
    const QStringList followUps = followUpKeys(t);
    const QJsonValue answer = answers.value(key);
    if (!answer.isBool()) {
      if (answer.isUndefined()) problems << QStringLiteral("%1 not answered").arg(key);
      continue;
    }
    if (!answer.toBool()) {
      for (const QString& f : followUps)
        if (answers.contains(f)) problems << QStringLiteral("%1 given for a \"no\" to %2").arg(f, key);
      continue;
    }
    setFlags(t.screeningKeys);
    switch (t.followUp) {
      case FollowUp::None: break;
      case FollowUp::PregnancyWeeks: {
        const QJsonValue weeks = answers.value(followUps[0]);
        if (weeks.isUndefined() || weeks.isNull()) break;  // not known: the first-trimester rules apply
        const double w = weeks.toDouble(-1);
        if (!weeks.isDouble() || w < 0 || w > 45 || std::floor(w) != w)
          problems << QStringLiteral("%1 is not a whole number of weeks 0-45").arg(followUps[0]);
        else
          screening.insert(QStringLiteral("pregnancy_weeks"), static_cast<int>(w));
        break;
      }
      case FollowUp::ImplantTypes: {
        const auto types = stringList(answers.value(followUps[0]));
        if (!types) {
          problems << QStringLiteral("%1 is not a list").arg(followUps[0]);
          break;
        }
        if (types->isEmpty()) {  // which device not said: all of them (the strictest reading)
          setFlags({"pacemaker", "implanted_defibrillator", "other_active_implant"});
        }
        for (const QString& type : *types) {
          if (type == QLatin1String("pacemaker")) setFlags({"pacemaker"});
          else if (type == QLatin1String("icd")) setFlags({"implanted_defibrillator"});
          else if (type == QLatin1String("other_active_implant")) setFlags({"other_active_implant"});
          else problems << QStringLiteral("%1 has \"%2\"").arg(followUps[0], type);
        }
        // Absent: no clearance. Present: only the structured evidence counts; anything else
        // ("pending", "x", a future letter) leaves the patient not screened, said in words.
        const QJsonValue clearance = answers.value(followUps[1]);
        if (!clearance.isUndefined()) {
          const QString why = clearanceProblem(clearance, QDate::currentDate());
          if (why.isEmpty()) screening.insert(QStringLiteral("cardiology_clearance_recorded"), true);
          else problems << why;
        }
        break;
      }
      case FollowUp::Regions: {
        const auto where = stringList(answers.value(followUps[0]));
        if (!where) {
          problems << QStringLiteral("%1 is not a list").arg(followUps[0]);
          break;
        }
        auto setAt = [&t](QJsonObject& conditions) {
          for (const char* c : t.siteConditions) conditions.insert(QLatin1String(c), true);
        };
        if (where->isEmpty()) setAt(everySite);  // where not said: every site (as version 1)
        for (const QString& region : *where) {
          if (region == QLatin1String(kEverySite)) setAt(everySite);
          else if (atlas.region(region.toStdString())) setAt(bySite[region.toStdString()]);
          else problems << QStringLiteral("%1 has \"%2\", not a region of the body atlas").arg(followUps[0], region);
        }
        break;
      }
      case FollowUp::Limbs:
      case FollowUp::Joints: {
        const bool limbs = t.followUp == FollowUp::Limbs;
        const auto& names = limbs ? limbNames() : jointNames();
        const char* caseKey = limbs ? "lymphoedema_limbs" : "prosthetic_joints";
        const auto where = stringList(answers.value(followUps[0]));
        if (!where) {
          problems << QStringLiteral("%1 is not a list").arg(followUps[0]);
          break;
        }
        QJsonArray list = screening.value(QLatin1String(caseKey)).toArray();
        if (where->isEmpty()) list = namesArray(names);  // which not said: all of them
        for (const QString& name : *where) {
          if (!oneOf(name, names)) problems << QStringLiteral("%1 has \"%2\"").arg(followUps[0], name);
          else if (!list.contains(name)) list.append(name);
        }
        screening.insert(QLatin1String(caseKey), list);
        break;
      }
    }
  }
  const safety::Case parsed = parsedProbe(screening, everySite);
  out.screening = parsed.screening;
  out.everySite = parsed.site.conditions;
  for (const auto& [region, conditions] : bySite) out.bySite[region] = parsedProbe({}, conditions).site.conditions;
  out.notUnderstood = problems;
  return out;
}

QString clearanceProblem(const QJsonValue& clearance, const QDate& today) {
  static const QString key = QStringLiteral("pacemaker_clearance");
  if (!clearance.isObject())
    return QStringLiteral("%1 is not {\"clinician\", \"date\"} (a text or other value is no evidence)").arg(key);
  const QJsonObject o = clearance.toObject();
  for (auto it = o.begin(); it != o.end(); ++it)
    if (it.key() != QLatin1String("clinician") && it.key() != QLatin1String("date"))
      return QStringLiteral("%1 has an unknown field \"%2\"").arg(key, it.key());
  const QJsonValue clinician = o.value(QStringLiteral("clinician"));
  if (!clinician.isString() || clinician.toString().trimmed().isEmpty())
    return QStringLiteral("%1 names no clinician").arg(key);
  const QJsonValue dateValue = o.value(QStringLiteral("date"));
  const QString text = dateValue.toString();
  const QDate date = QDate::fromString(text, Qt::ISODate);
  if (!dateValue.isString() || text.size() != 10 || !date.isValid())
    return QStringLiteral("%1 date is not a YYYY-MM-DD date").arg(key);
  if (date > today) return QStringLiteral("%1 date %2 is in the future").arg(key, text);
  return {};
}

Mapped fromRecord(const QJsonObject& answers, const QString& formVersion, const anatomy::Atlas& atlas) {
  Mapped out;
  try {
    if (formVersion == QLatin1String(kFormVersion2)) return fromAnswersV2(answers, atlas);
    if (formVersion == QLatin1String(kFormVersion1)) out = fromAnswers(answers);
  } catch (const std::exception& e) {  // the rules' parser refused a mapped name: a defect, said in words
    Mapped refused;
    refused.notUnderstood << QString::fromUtf8(e.what());
    return refused;
  }
  if (formVersion == QLatin1String(kFormVersion1)) {
    if (answers.contains(QStringLiteral("form_version")) &&
        answers.value(QStringLiteral("form_version")).toString() != formVersion)
      out.notUnderstood << QStringLiteral("form_version \"%1\" inside the answers")
                               .arg(answers.value(QStringLiteral("form_version")).toString());
    return out;
  }
  // Nothing is mapped from a form this console does not know: the screen is not completed.
  out.notUnderstood << QStringLiteral("form version \"%1\"").arg(formVersion);
  return out;
}

std::optional<std::string> credentialKind(const QString& storeKind) {
  if (storeKind == QLatin1String("dry-needling") || storeKind == QLatin1String("dry_needling")) return "dry_needling";
  if (storeKind == QLatin1String("laser")) return "laser";
  if (storeKind == QLatin1String("e-stim") || storeKind == QLatin1String("estim")) return "estim";
  return std::nullopt;
}

}  // namespace screening
}  // namespace tautband::ui
