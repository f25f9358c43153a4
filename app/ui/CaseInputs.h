#pragma once

#include "safety/Case.h"

#include <QDate>
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
  // The atlas the region ids belong to: a site given as a point collects the conditions of every
  // region under the point. Without it, a site that is not exactly one region gets every recorded
  // region's conditions (conservative).
  const anatomy::Atlas* atlas = nullptr;
  // Lung-field insertions of this patient in any session (the store's needles, judged by the
  // rules as DN-LUNG-BILATERAL-24H reads them).
  std::vector<safety::LungFieldInsertion> lungFieldInsertions;
  QStringList notes;  // what could not be read or understood, in words

  safety::SiteConditions conditionsAt(const std::optional<std::string>& regionId) const;
  // The conditions at a site: every site's, plus those of its region and of every region under
  // its point. A site with neither region nor point (or a point off every region, e.g. a laser
  // aimed at a zone) gets the conditions of every recorded region: where is not known.
  safety::SiteConditions conditionsAt(const safety::Site& site) const;
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
  std::map<std::string, safety::SiteConditions> bySite;  // region id -> conditions (form version 2)
  QStringList notUnderstood;  // answers set to yes that no mapping knows (screening is then not complete)
};
// Form version 1 ("contraindications-1"): `answers` is a bool per key and a "details" text;
// every "yes" sets every fact it may mean (mappings()). Height, weight, age, consent and
// capacity are not part of the answers; the caller adds them.
Mapped fromAnswers(const QJsonObject& answers);

// The stored form versions this console reads.
inline constexpr const char* kFormVersion1 = "contraindications-1";
inline constexpr const char* kFormVersion2 = "contraindications-2";

// Form version 2: one yes/no per topic plus the topic's follow-ups (docs/CLINICAL-CONTEXT.md
// "Form version 2"). What a topic's follow-up is:
enum class FollowUp {
  None,
  PregnancyWeeks,  // "pregnancy_weeks": integer 0..45, or null = not known (first-trimester rules)
  ImplantTypes,    // "pacemaker_devices": pacemaker | icd | other_active_implant;
                   // "pacemaker_clearance": {"clinician": text, "date": "YYYY-MM-DD"} (see below)
  Regions,         // "<topic>_where": atlas region ids, or "every_site"
  Limbs,           // "<topic>_where": upper_right | upper_left | lower_right | lower_left
  Joints,          // "<topic>_where": shoulder|elbow|wrist|hip|knee|ankle + _right|_left
};
struct TopicMapping {
  const char* key;                          // the stored bool ("yes")
  FollowUp followUp;
  std::vector<const char*> screeningKeys;   // case-format "screening" flags a yes sets
  std::vector<const char*> siteConditions;  // case-format "site.conditions" a yes sets where it says
};
const std::vector<TopicMapping>& topicsV2();
const TopicMapping* topicFor(const QString& key);
// The stored name of a topic's follow-up ("malignancy_where", "pregnancy_weeks", ...).
QStringList followUpKeys(const TopicMapping& topic);
// Limb and joint names the rules read (for the form's choices).
const std::vector<const char*>& limbNames();
const std::vector<const char*>& jointNames();

// A specialist (cardiology) clearance lifts the ES-PACEMAKER REFUSE, so it is evidence, not any
// text: exactly {"clinician": non-blank text, "date": an ISO letter date not after `today`}.
// Empty when `clearance` is that shape, else why not (in words, naming the key).
QString clearanceProblem(const QJsonValue& clearance, const QDate& today);

// Version 2 answers; every region id must be one of `atlas`. A key this console does not know,
// a missing topic, a value of the wrong type or a follow-up on a "no" leaves the screen not
// completed (notUnderstood names what) and maps nothing less strict than version 1 would.
Mapped fromAnswersV2(const QJsonObject& answers, const anatomy::Atlas& atlas);

// A stored screening row: by its form version (the row's column; "form_version" inside the
// answers must agree where present). An unknown version → nothing mapped, not completed.
Mapped fromRecord(const QJsonObject& answers, const QString& formVersion, const anatomy::Atlas& atlas);

// Store credential kinds ("dry-needling", "laser", "e-stim") in the rules' names
// ("dry_needling", "laser", "estim"); nullopt for a kind the rules do not know.
std::optional<std::string> credentialKind(const QString& storeKind);

}  // namespace screening
}  // namespace tautband::ui
