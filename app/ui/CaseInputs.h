#pragma once

#include "safety/Case.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tautband::ui {

// The patient as the rules see them, built from the store by ClinicalContext.
struct PatientFacts {
  qint64 patientId = 0;
  QString label;
  safety::Screening screening;
  // Conditions the screen records for the patient without saying where (an active malignancy,
  // radiotherapy, a skin lesion): they apply at every site (conservative).
  safety::SiteConditions everySite;
  std::map<std::string, safety::SiteConditions> siteConditions;  // by region id; absent = none recorded
  // Lung-field insertions of this patient in any session (the store's needles, judged by the
  // rules as DN-LUNG-BILATERAL-24H reads them).
  std::vector<safety::LungFieldInsertion> lungFieldInsertions;
  QStringList notes;  // what could not be read or understood, in words

  safety::SiteConditions conditionsAt(const std::optional<std::string>& regionId) const;
};

// What a laser or needling case needs from the people in the room: the logged-in practitioner,
// the patient of the open session. One value, filled by ClinicalContext and given to
// LaserController and NeedlingModel alike; nothing missing is invented.
struct CaseInputs {
  std::optional<safety::Practitioner> practitioner;  // nullopt: nobody logged in (or locked)
  std::optional<PatientFacts> patient;               // nullopt: no session open
  qint64 sessionId = 0;

  // Fills screening, practitioner, the site's conditions and the patient's history into `c`.
  // Without a practitioner the credential rules fire; without a patient PF-NOT-SCREENED.
  void applyTo(safety::Case& c) const;
};

// ONE mapping from what the screening form / store writes to the rules' case format
// (docs/SAFETY.md "Case format"; the names rules.json reads). Keys are written into a
// case-format JSON object and read back by the safety library's own case parser, which rejects
// any key it does not know: a mapping to a misspelt rule name cannot pass silently.
namespace screening {

struct FieldMapping {
  const char* formKey;                    // as PatientModel's form / the store writes it
  std::vector<const char*> screeningKeys;  // case format "screening" keys it sets
  std::vector<const char*> siteConditions;  // case format "site.conditions" keys it sets (every site)
};

// One entry per question of the form, plus every boolean case-format flag under its own name
// (a record written with the rules' names is understood as is).
const std::vector<FieldMapping>& mappings();
const FieldMapping* mappingFor(const QString& formKey);

struct Mapped {
  safety::Screening screening;
  safety::SiteConditions everySite;
  QStringList notUnderstood;  // answers set to yes that no mapping knows (screening is then not complete)
};
// `answers`: the stored screening answers (bool per key, "details" text). Height, weight, age,
// consent and capacity are not part of the answers; the caller adds them.
Mapped fromAnswers(const QJsonObject& answers);

// Store credential kinds ("dry-needling", "laser", "e-stim") in the rules' names
// ("dry_needling", "laser", "estim"); nullopt for a kind the rules do not know.
std::optional<std::string> credentialKind(const QString& storeKind);

}  // namespace screening
}  // namespace tautband::ui
