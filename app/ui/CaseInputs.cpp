#include "ui/CaseInputs.h"

#include "safety/CaseJson.h"

#include <QJsonArray>

namespace tautband::ui {

safety::SiteConditions PatientFacts::conditionsAt(const std::optional<std::string>& regionId) const {
  safety::SiteConditions c = everySite;
  if (!regionId) return c;
  const auto it = siteConditions.find(*regionId);
  if (it == siteConditions.end()) return c;
  const safety::SiteConditions& at = it->second;
  c.infectionOrBrokenSkin = c.infectionOrBrokenSkin || at.infectionOrBrokenSkin;
  c.malignancy = c.malignancy || at.malignancy;
  c.radiotherapy = c.radiotherapy || at.radiotherapy;
  c.activeBleeding = c.activeBleeding || at.activeBleeding;
  c.deepVeinThrombosis = c.deepVeinThrombosis || at.deepVeinThrombosis;
  c.tattooOrDarkSkin = c.tattooOrDarkSkin || at.tattooOrDarkSkin;
  c.recentSteroidInjection = c.recentSteroidInjection || at.recentSteroidInjection;
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
  c.site.conditions = patient->conditionsAt(c.site.regionId);
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
  // Read back through the safety library's case parser: the names are the ones the rules read.
  const QJsonObject probe{{"format", "tautband.safety.case"},
                          {"format_version", safety::Case::kFormatVersion},
                          {"evaluated_at_utc", "2026-01-01T00:00:00Z"},
                          {"act", "needling"},
                          {"screening", screening},
                          {"practitioner", QJsonObject{{"user_id", "mapping"}}},
                          {"site", QJsonObject{{"region_id", "upper_trapezius_right"}, {"conditions", conditions}}},
                          {"needling", QJsonObject{{"needle_length_mm", 15}, {"needle_gauge_mm", 0.25}}}};
  const safety::Case parsed = safety::caseFromJsonObject(probe);  // throws CaseFormatError on a wrong name
  out.screening = parsed.screening;
  out.everySite = parsed.site.conditions;
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
