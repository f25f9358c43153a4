#include "ui/PatientModel.h"

#include "anatomy/Atlas.h"
#include "store/CareContext.h"
#include "store/Store.h"
#include "ui/AuthModel.h"
#include "ui/CaseInputs.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <limits>

#include <cmath>

namespace tautband::ui {
namespace {

struct Question {
  const char* key;
  const char* label;
  const char* affects;  // what it restricts, shown beside the question
};

// BRIEF §3 "contraindication screen", form version 1 (kept: older records use these keys).
constexpr Question kQuestions[] = {
    {"pregnancy", QT_TRANSLATE_NOOP("PatientModel", "Pregnant or possibly pregnant"), "needling, laser"},
    {"pacemaker", QT_TRANSLATE_NOOP("PatientModel", "Pacemaker, ICD or other implanted electronic device"), "e-stim, laser"},
    {"implants", QT_TRANSLATE_NOOP("PatientModel", "Metal or breast implants near the treatment area"), "needling"},
    {"anticoagulants", QT_TRANSLATE_NOOP("PatientModel", "Anticoagulants or a bleeding disorder"), "needling"},
    {"malignancy", QT_TRANSLATE_NOOP("PatientModel", "Active or suspected malignancy"), "needling, laser"},
    {"epilepsy", QT_TRANSLATE_NOOP("PatientModel", "Epilepsy or seizures"), "needling, e-stim"},
    {"photosensitivity", QT_TRANSLATE_NOOP("PatientModel", "Photosensitivity or photosensitising medication"), "laser"},
    {"recent_radiotherapy", QT_TRANSLATE_NOOP("PatientModel", "Radiotherapy in the last 6 months"), "needling, laser"},
    {"lung_disease", QT_TRANSLATE_NOOP("PatientModel", "Lung disease (COPD, emphysema, earlier pneumothorax)"), "thoracic needling"},
    {"local_infection", QT_TRANSLATE_NOOP("PatientModel", "Infection, wound or skin lesion at the site"), "needling, laser"},
    {"impaired_healing", QT_TRANSLATE_NOOP("PatientModel", "Immunosuppression or poorly controlled diabetes"), "needling"},
    {"needle_fear", QT_TRANSLATE_NOOP("PatientModel", "Fear of needles or history of fainting"), "needling"},
    {"metal_allergy", QT_TRANSLATE_NOOP("PatientModel", "Allergy to metals (nickel, chromium)"), "needling"},
};

// Form version 2: one tile per topic of screening::topicsV2() (the mapping), in this order.
constexpr Question kTopics[] = {
    {"pregnancy", QT_TRANSLATE_NOOP("PatientModel", "Pregnant or possibly pregnant"), "needling, laser"},
    {"pacemaker", QT_TRANSLATE_NOOP("PatientModel", "Pacemaker, ICD or other active implant"), "e-stim"},
    {"implants", QT_TRANSLATE_NOOP("PatientModel", "Breast implants"), "needling over the chest"},
    {"anticoagulants", QT_TRANSLATE_NOOP("PatientModel", "Anticoagulants or a bleeding disorder"), "needling"},
    {"malignancy", QT_TRANSLATE_NOOP("PatientModel", "Active or suspected malignancy"), "laser at the site"},
    {"cancer_history", QT_TRANSLATE_NOOP("PatientModel", "History of cancer"), "laser"},
    {"recent_radiotherapy", QT_TRANSLATE_NOOP("PatientModel", "Radiotherapy in the last 6 months"), "laser at the site"},
    {"local_infection", QT_TRANSLATE_NOOP("PatientModel", "Infection, wound or skin lesion"), "needling at the site"},
    {"deep_vein_thrombosis", QT_TRANSLATE_NOOP("PatientModel", "Deep-vein thrombosis or active bleeding"), "laser at the site"},
    {"tattoo_or_dark_skin", QT_TRANSLATE_NOOP("PatientModel", "Tattoo or dark skin"), "laser at the site"},
    {"recent_steroid_injection", QT_TRANSLATE_NOOP("PatientModel", "Recent steroid injection"), "laser at the site"},
    {"lymphoedema", QT_TRANSLATE_NOOP("PatientModel", "Lymphoedema or lymph-node dissection"), "needling the limb"},
    {"prosthetic_joint", QT_TRANSLATE_NOOP("PatientModel", "Prosthetic joint"), "needling at the joint"},
    {"epilepsy", QT_TRANSLATE_NOOP("PatientModel", "Epilepsy or seizures"), "laser"},
    {"photosensitivity", QT_TRANSLATE_NOOP("PatientModel", "Photosensitivity or photosensitising medication"), "laser"},
    {"lung_disease", QT_TRANSLATE_NOOP("PatientModel", "Lung disease (COPD, emphysema, earlier pneumothorax)"), "thoracic needling"},
    {"impaired_healing", QT_TRANSLATE_NOOP("PatientModel", "Immunosuppression or poorly controlled diabetes"), "needling"},
    {"needle_fear", QT_TRANSLATE_NOOP("PatientModel", "Fear of needles or history of fainting"), "needling"},
    {"metal_allergy", QT_TRANSLATE_NOOP("PatientModel", "Allergy to metals (nickel, chromium)"), "needling"},
    {"open_growth_plates", QT_TRANSLATE_NOOP("PatientModel", "Open growth plates (child or adolescent)"), "laser over joints"},
};

// The "where" picker's body areas (atlas muscle ids); a muscle of the atlas not listed here
// lands in "Other", so a new muscle is never missing from the picker.
struct AreaGroup {
  const char* name;
  std::vector<const char*> muscles;
};
const std::vector<AreaGroup>& areaGroups() {
  static const std::vector<AreaGroup> kGroups = {
      {QT_TRANSLATE_NOOP("PatientModel", "Head & neck"),
       {"temporalis", "masseter", "sternocleidomastoid", "scalenes", "suboccipitals", "upper_trapezius", "levator_scapulae"}},
      {QT_TRANSLATE_NOOP("PatientModel", "Shoulder & arm"),
       {"deltoid", "supraspinatus", "infraspinatus", "forearm_flexors", "forearm_extensors"}},
      {QT_TRANSLATE_NOOP("PatientModel", "Chest & upper back"),
       {"pectoralis_major", "pectoralis_minor", "serratus_anterior", "latissimus_dorsi", "rhomboids",
        "erector_spinae_thoracic"}},
      {QT_TRANSLATE_NOOP("PatientModel", "Low back & hip"),
       {"erector_spinae_lumbar", "quadratus_lumborum", "gluteus_maximus", "gluteus_medius", "gluteus_minimus", "piriformis"}},
      {QT_TRANSLATE_NOOP("PatientModel", "Leg"), {"quadriceps", "hamstrings", "gastrocnemius_soleus", "tibialis_anterior"}},
  };
  return kGroups;
}

QString followUpName(screening::FollowUp f) {
  switch (f) {
    case screening::FollowUp::None: return QStringLiteral("none");
    case screening::FollowUp::PregnancyWeeks: return QStringLiteral("weeks");
    case screening::FollowUp::ImplantTypes: return QStringLiteral("implant");
    case screening::FollowUp::Regions: return QStringLiteral("regions");
    case screening::FollowUp::Limbs: return QStringLiteral("limbs");
    case screening::FollowUp::Joints: return QStringLiteral("joints");
  }
  return QStringLiteral("none");
}

QString sideWord(const QString& name) {
  if (name.endsWith(QLatin1String("_right"))) return QObject::tr("right");
  if (name.endsWith(QLatin1String("_left"))) return QObject::tr("left");
  return {};
}

bool isOneOf(const QString& value, const std::vector<const char*>& names) {
  return std::any_of(names.begin(), names.end(), [&value](const char* n) { return value == QLatin1String(n); });
}

QVariantList choicesOf(const std::vector<const char*>& names) {
  QVariantList out;
  for (const char* n : names) {
    const QString key = QLatin1String(n);
    QString part = key.section(QLatin1Char('_'), 0, 0);
    part[0] = part[0].toUpper();
    out.append(QVariantMap{{QStringLiteral("key"), key},
                           {QStringLiteral("label"), QStringLiteral("%1 %2").arg(part, sideWord(key))}});
  }
  return out;
}

std::optional<double> positive(const QVariant& v) {
  bool ok = false;
  const double d = v.toString().trimmed().replace(QLatin1Char(','), QLatin1Char('.')).toDouble(&ok);
  if (!ok || !std::isfinite(d) || d <= 0) return std::nullopt;
  return d;
}

QVariant optionalValue(const std::optional<double>& v) { return v ? QVariant(*v) : QVariant(); }

// Empty, never null: a missing field is stored as '' (the columns are NOT NULL).
QString textOf(const QVariantMap& fields, const char* key) {
  const QString s = fields.value(QLatin1String(key)).toString();
  return s.isNull() ? QStringLiteral("") : s;
}

}  // namespace

PatientModel::PatientModel(AuthModel& auth, QObject* parent) : QAbstractListModel(parent), auth_(auth) {
  pending_.onBusyChanged([this] { emit busyChanged(); });
  connect(&auth_, &AuthModel::userChanged, this, [this] {
    emit permissionsChanged();
    // Nothing of the last user's view stays on screen after a log-out or lock.
    if (!auth_.allows(store::Action::ReadPatient) && !all_.empty()) {
      beginResetModel();
      all_.clear();
      visible_.clear();
      endResetModel();
      emit countChanged();
    }
  });
}

void PatientModel::attach(store::Store& store) { store_ = &store; }

bool PatientModel::canEdit() const { return auth_.allows(store::Action::EditPatient); }

int PatientModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : count(); }

QHash<int, QByteArray> PatientModel::roleNames() const {
  return {{PatientIdRole, "patientId"}, {MrnRole, "mrn"},         {FamilyNameRole, "familyName"},
          {GivenNameRole, "givenName"}, {BirthDateRole, "birthDate"}, {SexRole, "sex"},
          {HeightRole, "heightCm"},     {WeightRole, "weightKg"},  {BmiRole, "bmi"},
          {GuardianRole, "guardianName"}, {NotesRole, "notes"},    {LabelRole, "label"}};
}

QVariant PatientModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() < 0 || index.row() >= count()) return {};
  const store::Patient& p = all_[static_cast<std::size_t>(visible_[static_cast<std::size_t>(index.row())])];
  switch (role) {
    case PatientIdRole: return p.id;
    case MrnRole: return p.mrn;
    case FamilyNameRole: return p.familyName;
    case GivenNameRole: return p.givenName;
    case BirthDateRole: return p.birthDate.isValid() ? p.birthDate.toString(Qt::ISODate) : QString();
    case SexRole: return p.sex;
    case HeightRole: return optionalValue(p.heightCm);
    case WeightRole: return optionalValue(p.weightKg);
    case BmiRole: return p.heightCm && p.weightKg ? bmi(*p.heightCm, *p.weightKg) : -1.0;
    case GuardianRole: return p.guardianName;
    case NotesRole: return p.notes;
    case LabelRole: return QStringLiteral("%1, %2").arg(p.familyName, p.givenName);
    default: return {};
  }
}

QVariantMap PatientModel::get(int row) const { return rowAsMap(*this, row); }

int PatientModel::rowOf(qint64 patientId) const {
  for (int i = 0; i < count(); ++i)
    if (all_[static_cast<std::size_t>(visible_[static_cast<std::size_t>(i)])].id == patientId) return i;
  return -1;
}

void PatientModel::setFilter(const QString& filter) {
  if (filter_ == filter) return;
  filter_ = filter;
  beginResetModel();
  rebuildVisible();
  endResetModel();
  emit countChanged();
  emit filterChanged();
}

void PatientModel::rebuildVisible() {
  visible_.clear();
  const QString needle = filter_.trimmed();
  for (std::size_t i = 0; i < all_.size(); ++i) {
    const auto& p = all_[i];
    if (needle.isEmpty() || p.mrn.contains(needle, Qt::CaseInsensitive) ||
        p.familyName.contains(needle, Qt::CaseInsensitive) || p.givenName.contains(needle, Qt::CaseInsensitive))
      visible_.push_back(static_cast<int>(i));
  }
}

void PatientModel::setMessage(const QString& message) {
  if (message_ == message) return;
  message_ = message;
  emit messageChanged();
}

bool PatientModel::start(store::Action action, const QString& what) {
  if (!store_) return false;
  if (!auth_.allows(action)) {
    setMessage(tr("Your role may not %1.").arg(what));
    return false;
  }
  return true;
}

void PatientModel::refresh() {
  if (!start(store::Action::ReadPatient, tr("read patient records"))) return;
  pending_.whileBusy(store_->clinical().listPatients(*auth_.actor()), [this](const Done<std::vector<store::Patient>>& d) {
    if (!d.ok()) {
      setMessage(d.error);
      return;
    }
    beginResetModel();
    all_ = *d.value;
    rebuildVisible();
    endResetModel();
    emit countChanged();
  });
}

void PatientModel::createPatient(const QVariantMap& fields) {
  store::PatientDraft draft;
  draft.mrn = textOf(fields, "mrn").trimmed();
  draft.familyName = textOf(fields, "familyName");
  draft.givenName = textOf(fields, "givenName");
  draft.sex = textOf(fields, "sex");
  draft.guardianName = textOf(fields, "guardianName");
  draft.notes = textOf(fields, "notes");
  draft.heightCm = positive(fields.value(QStringLiteral("heightCm")));
  draft.weightKg = positive(fields.value(QStringLiteral("weightKg")));
  const QString birth = fields.value(QStringLiteral("birthDate")).toString().trimmed();
  draft.birthDate = QDate::fromString(birth, Qt::ISODate);
  if (draft.mrn.isEmpty() || draft.familyName.trimmed().isEmpty()) {
    setMessage(tr("A record number and a family name are required."));
    return;
  }
  if (!birth.isEmpty() && !draft.birthDate.isValid()) {
    setMessage(tr("Birth date must be written as YYYY-MM-DD."));
    return;
  }
  if (!start(store::Action::EditPatient, tr("add patients"))) return;
  pending_.whileBusy(store_->clinical().createPatient(*auth_.actor(), draft), [this](const Done<qint64>& d) {
    if (!d.ok()) {
      setMessage(tr("The patient was not saved: %1").arg(d.error));
      return;
    }
    setMessage(tr("Patient saved."));
    lastCreatedId_ = *d.value;
    emit patientCreated(*d.value);
    refresh();
  });
}

QJsonObject PatientModel::screeningJson(const QVariantMap& answers, QString* problem) {
  QJsonObject json;
  QStringList problems;
  const anatomy::Atlas& atlas = anatomy::Atlas::builtin();
  QStringList unanswered;
  for (const Question& q : kTopics) {
    const QString key = QLatin1String(q.key);
    const screening::TopicMapping* topic = screening::topicFor(key);
    // Three states: only a tapped No or Yes is an answer. An untouched topic is never written
    // as "no" (the reader then says "not screened"); the form refuses to save it at all.
    const QVariant answer = answers.value(key);
    if (answer.typeId() != QMetaType::Bool) {
      unanswered << tr(q.label);
      continue;
    }
    const bool yes = answer.toBool();
    json.insert(key, yes);
    if (!yes || !topic) continue;
    const QStringList followUps = screening::followUpKeys(*topic);
    const QString label = tr(q.label);
    switch (topic->followUp) {
      case screening::FollowUp::None: break;
      case screening::FollowUp::PregnancyWeeks: {
        const QString text = answers.value(followUps[0]).toString().trimmed();
        bool ok = false;
        const int weeks = text.toInt(&ok);
        if (text.isEmpty()) {
          json.insert(followUps[0], QJsonValue::Null);  // not known: the strict rule applies
        } else if (!ok || weeks < 0 || weeks > 45) {
          problems << tr("Pregnancy: weeks as a whole number 0-45, or empty when not known.");
        } else {
          json.insert(followUps[0], weeks);
        }
        break;
      }
      case screening::FollowUp::ImplantTypes: {
        const QStringList devices = answers.value(followUps[0]).toStringList();
        if (devices.isEmpty()) problems << tr("%1: say which device.").arg(label);
        json.insert(followUps[0], QJsonArray::fromStringList(devices));
        if (answers.value(QStringLiteral("pacemaker_clearance_on_file")).toBool()) {
          // Evidence, not any text: the clinician (stored verbatim) and the letter's date,
          // checked by the same function the reader uses (a text reference is refused).
          const QVariantMap given = answers.value(followUps[1]).toMap();
          const QString clinician = given.value(QStringLiteral("clinician")).toString();
          const QString date = given.value(QStringLiteral("date")).toString().trimmed();
          const QJsonObject clearance{{QStringLiteral("clinician"), clinician}, {QStringLiteral("date"), date}};
          if (clinician.trimmed().isEmpty())
            problems << tr("Specialist clearance: enter the clinician who gave it.");
          else if (!screening::clearanceProblem(clearance, QDate::currentDate()).isEmpty())
            problems << tr("Specialist clearance: the letter date as YYYY-MM-DD, not in the future.");
          else
            json.insert(followUps[1], clearance);
        }
        break;
      }
      case screening::FollowUp::Regions:
      case screening::FollowUp::Limbs:
      case screening::FollowUp::Joints: {
        const QStringList where = answers.value(followUps[0]).toStringList();
        if (where.isEmpty()) problems << tr("%1: say where.").arg(label);
        for (const QString& w : where) {
          const bool known = topic->followUp == screening::FollowUp::Regions
                                 ? (w == QLatin1String("every_site") || atlas.region(w.toStdString()) != nullptr)
                                 : isOneOf(w, topic->followUp == screening::FollowUp::Limbs ? screening::limbNames()
                                                                                          : screening::jointNames());
          if (!known) problems << tr("%1: \"%2\" is not a place this form knows.").arg(label, w);
        }
        json.insert(followUps[0], QJsonArray::fromStringList(where));
        break;
      }
    }
  }
  json.insert(QStringLiteral("details"), answers.value(QStringLiteral("details")).toString());
  const auto h = positive(answers.value(QStringLiteral("heightCm")));
  const auto w = positive(answers.value(QStringLiteral("weightKg")));
  if (h) json.insert(QStringLiteral("height_cm"), *h);
  if (w) json.insert(QStringLiteral("weight_kg"), *w);
  if (h && w && bmi(*h, *w) > 0) json.insert(QStringLiteral("bmi"), std::round(bmi(*h, *w) * 10) / 10);
  json.insert(QStringLiteral("form_version"), QLatin1String(kScreeningFormVersion));
  if (!unanswered.isEmpty()) {
    // Named first (the first three, then how many more): the therapist sees where to look.
    constexpr qsizetype kNamed = 3;
    QString named = unanswered.mid(0, kNamed).join(QStringLiteral("; "));
    if (unanswered.size() > kNamed) named += tr(" and %1 more").arg(unanswered.size() - kNamed);
    problems.prepend(tr("Not answered yet: %1. Tap No or Yes on every topic.").arg(named));
  }
  if (problems.isEmpty()) {
    // What we write must read back completely: the form and the mapping cannot drift apart.
    const auto mapped = screening::fromAnswersV2(json, atlas);
    problems << mapped.notUnderstood;
  }
  if (problem) *problem = problems.join(QLatin1Char(' '));
  return json;
}

void PatientModel::recordScreening(qint64 patientId, const QVariantMap& answers) {
  QString problem;
  const QJsonObject json = screeningJson(answers, &problem);
  if (!problem.isEmpty()) {
    setMessage(tr("Screening not saved: %1").arg(problem));
    return;
  }
  if (!start(store::Action::EditPatient, tr("record a screening"))) return;
  pending_.whileBusy(store_->clinical().recordScreening(*auth_.actor(), patientId, json,
                                                   QString::fromLatin1(kScreeningFormVersion)),
                [this, patientId](const Done<qint64>& d) {
                  setMessage(d.ok() ? tr("Screening saved.") : tr("Screening not saved: %1").arg(d.error));
                  if (!d.ok()) return;
                  emit screeningRecorded(patientId, *d.value);
                  loadScreening(patientId);
                });
}

void PatientModel::loadScreening(qint64 patientId) {
  if (!latestScreening_.isEmpty()) {
    latestScreening_.clear();
    emit latestScreeningChanged();
  }
  if (!start(store::Action::ReadPatient, tr("read patient records"))) return;
  // No needle history is wanted here: read from the far future.
  store_->writer().submit(
      [by = *auth_.actor(), patientId](store::WriteTransaction& tx) {
        return store::readPatientContext(tx, by, patientId, std::numeric_limits<std::int64_t>::max());
      },
      this, [this, patientId](const store::Outcome<store::PatientContextRecord>& o) {
        if (!o.ok()) {
          setMessage(tr("The screening could not be read: %1").arg(o.error));
          return;
        }
        QVariantMap m{{QStringLiteral("patientId"), patientId}};
        if (o.value->screening) {
          const auto mapped = screening::fromRecord(*o.value->screening, o.value->screeningFormVersion,
                                                    anatomy::Atlas::builtin());
          m.insert(QStringLiteral("formVersion"), o.value->screeningFormVersion);
          m.insert(QStringLiteral("answers"), o.value->screening->toVariantMap());
          m.insert(QStringLiteral("summary"), screeningSummary(*o.value->screening));
          m.insert(QStringLiteral("understood"), mapped.notUnderstood.isEmpty());
          m.insert(QStringLiteral("problems"), mapped.notUnderstood.join(QStringLiteral("; ")));
        }
        latestScreening_ = m;
        emit latestScreeningChanged();
      });
}

QStringList PatientModel::screeningSummary(const QJsonObject& answers) {
  const anatomy::Atlas& atlas = anatomy::Atlas::builtin();
  auto place = [&atlas](const QString& id) {
    if (id == QLatin1String("every_site")) return tr("every site");
    if (const auto* r = atlas.region(id.toStdString())) {
      const auto* m = atlas.muscleOf(*r);
      const auto side = anatomy::toString(r->side);
      return QStringLiteral("%1 (%2)").arg(QString::fromStdString(m ? m->name : r->muscleId),
                                           QString::fromUtf8(side.data(), static_cast<qsizetype>(side.size())));
    }
    return id;
  };
  QStringList lines;
  auto list = [&answers](const QString& key) {
    QStringList out;
    for (const QJsonValue& v : answers.value(key).toArray()) out << v.toString();
    return out;
  };
  // Version 1 rows have the same topic keys (a subset) and no follow-ups.
  for (const Question& q : kTopics) {
    const QString key = QLatin1String(q.key);
    if (!answers.value(key).toBool()) continue;
    QString line = tr(q.label);
    const screening::TopicMapping* topic = screening::topicFor(key);
    if (topic) {
      const QStringList followUps = screening::followUpKeys(*topic);
      switch (topic->followUp) {
        case screening::FollowUp::None: break;
        case screening::FollowUp::PregnancyWeeks: {
          const QJsonValue weeks = answers.value(followUps[0]);
          line += weeks.isDouble() ? tr(": week %1").arg(weeks.toInt()) : tr(": weeks not known");
          break;
        }
        case screening::FollowUp::ImplantTypes: {
          if (answers.contains(followUps[0])) line += QStringLiteral(": ") + list(followUps[0]).join(QStringLiteral(", "));
          const QJsonValue clearance = answers.value(followUps[1]);
          const QJsonObject c = clearance.toObject();
          if (clearance.isUndefined())
            line += tr("; no specialist clearance on file");
          else if (clearance.isObject())
            line += tr("; specialist clearance for e-stim: %1, letter of %2")
                        .arg(c.value(QStringLiteral("clinician")).toString(), c.value(QStringLiteral("date")).toString());
          else  // an old text reference: shown as stored, and it lifts nothing
            line += tr("; clearance not in the form's shape (lifts nothing): %1").arg(clearance.toString());
          break;
        }
        case screening::FollowUp::Regions: {
          QStringList where;
          for (const QString& id : list(followUps[0])) where << place(id);
          line += QStringLiteral(": ") + (where.isEmpty() ? tr("every site") : where.join(QStringLiteral(", ")));
          break;
        }
        case screening::FollowUp::Limbs:
        case screening::FollowUp::Joints: {
          QStringList where;
          for (const QString& name : list(followUps[0])) {
            // "upper_left" → "left arm", "knee_right" → "knee right": words, not ids.
            if (name.startsWith(QLatin1String("upper_"))) where << tr("%1 arm").arg(sideWord(name));
            else if (name.startsWith(QLatin1String("lower_"))) where << tr("%1 leg").arg(sideWord(name));
            else where << QStringLiteral("%1 %2").arg(name.section(QLatin1Char('_'), 0, 0), sideWord(name));
          }
          line += QStringLiteral(": ") + (where.isEmpty() ? tr("all") : where.join(QStringLiteral(", ")));
          break;
        }
      }
    }
    lines << line;
  }
  // Keys this console does not know are shown as stored, never hidden.
  for (auto it = answers.begin(); it != answers.end(); ++it) {
    if (screening::topicFor(it.key()) || it.key() == QLatin1String("details") || it.key() == QLatin1String("form_version") ||
        it.key() == QLatin1String("height_cm") || it.key() == QLatin1String("weight_kg") || it.key() == QLatin1String("bmi"))
      continue;
    bool followUp = false;
    for (const auto& t : screening::topicsV2()) followUp = followUp || screening::followUpKeys(t).contains(it.key());
    if (!followUp) lines << tr("Not understood: %1").arg(it.key());
  }
  if (const QString details = answers.value(QStringLiteral("details")).toString(); !details.isEmpty())
    lines << tr("Details: %1").arg(details);
  return lines;
}

void PatientModel::recordConsent(qint64 patientId, const QString& scope, bool namesPneumothorax,
                                 const QString& givenBy, const QString& guardianName) {
  bool known = false;
  for (const QVariant& s : consentScopes()) known |= s.toMap().value(QStringLiteral("key")).toString() == scope;
  if (!known) {
    setMessage(tr("Choose what the consent covers."));
    return;
  }
  if (scope == QLatin1String("thoracic-needling") && !namesPneumothorax) {
    setMessage(tr("Consent for needling over the thorax must name the risk of pneumothorax."));
    return;
  }
  if (givenBy == QLatin1String("guardian") && guardianName.trimmed().isEmpty()) {
    setMessage(tr("Enter the guardian's name."));
    return;
  }
  if (!start(store::Action::EditPatient, tr("record consent"))) return;
  pending_.whileBusy(store_->clinical().recordConsent(*auth_.actor(), patientId, std::nullopt, scope,
                                                 QString::fromLatin1(kConsentTextVersion), namesPneumothorax, givenBy,
                                                 guardianName),
                [this, patientId](const Done<qint64>& d) {
                  setMessage(d.ok() ? tr("Consent recorded.") : tr("Consent not recorded: %1").arg(d.error));
                  if (d.ok()) emit consentRecorded(patientId, *d.value);
                });
}

double PatientModel::bmi(double heightCm, double weightKg) {
  if (!(heightCm >= 50 && heightCm <= 272) || !(weightKg >= 2 && weightKg <= 650)) return -1;
  const double m = heightCm / 100.0;
  return weightKg / (m * m);
}

QString PatientModel::bmiCategory(double value) {
  if (value <= 0) return {};
  if (value < 18.5) return tr("underweight: thinner tissue over the lung, shorter needles");
  if (value < 25) return tr("normal");
  if (value < 30) return tr("overweight");
  return tr("obese");
}

QVariantList PatientModel::screeningQuestions() const {
  QVariantList out;
  for (const Question& q : kQuestions) {
    out.append(QVariantMap{{QStringLiteral("key"), QLatin1String(q.key)},
                           {QStringLiteral("label"), tr(q.label)},
                           {QStringLiteral("affects"), QLatin1String(q.affects)}});
  }
  return out;
}

QVariantList PatientModel::screeningTopics() const {
  QVariantList out;
  for (const Question& q : kTopics) {
    const screening::TopicMapping* topic = screening::topicFor(QLatin1String(q.key));
    out.append(QVariantMap{{QStringLiteral("key"), QLatin1String(q.key)},
                           {QStringLiteral("label"), tr(q.label)},
                           {QStringLiteral("affects"), QLatin1String(q.affects)},
                           {QStringLiteral("followUp"), followUpName(topic ? topic->followUp : screening::FollowUp::None)}});
  }
  return out;
}

QVariantList PatientModel::screeningAreas() const {
  const anatomy::Atlas& atlas = anatomy::Atlas::builtin();
  auto regionsOf = [&atlas](const std::vector<std::string>& muscles) {
    QVariantList regions;
    for (const auto& muscleId : muscles)
      for (const auto& r : atlas.regions()) {
        if (r.muscleId != muscleId) continue;
        const auto* m = atlas.muscleOf(r);
        regions.append(QVariantMap{{QStringLiteral("id"), QString::fromStdString(r.id)},
                                   {QStringLiteral("label"), QString::fromStdString(m ? m->name : r.muscleId)},
                                   {QStringLiteral("side"), QString::fromUtf8(anatomy::toString(r.side).data(),
                                                                             static_cast<qsizetype>(anatomy::toString(r.side).size()))}});
      }
    return regions;
  };
  QVariantList out;
  std::vector<std::string> listed;
  for (const auto& g : areaGroups()) {
    std::vector<std::string> muscles(g.muscles.begin(), g.muscles.end());
    listed.insert(listed.end(), muscles.begin(), muscles.end());
    out.append(QVariantMap{{QStringLiteral("name"), tr(g.name)}, {QStringLiteral("regions"), regionsOf(muscles)}});
  }
  std::vector<std::string> other;
  for (const auto& m : atlas.muscles())
    if (std::find(listed.begin(), listed.end(), m.id) == listed.end()) other.push_back(m.id);
  if (!other.empty()) out.append(QVariantMap{{QStringLiteral("name"), tr("Other")}, {QStringLiteral("regions"), regionsOf(other)}});
  return out;
}

QVariantList PatientModel::implantChoices() const {
  return {QVariantMap{{"key", "pacemaker"}, {"label", tr("Pacemaker")}},
          QVariantMap{{"key", "icd"}, {"label", tr("ICD (defibrillator)")}},
          QVariantMap{{"key", "other_active_implant"}, {"label", tr("Other active implant")}}};
}

QVariantList PatientModel::limbChoices() const {
  return {QVariantMap{{"key", "upper_right"}, {"label", tr("Right arm")}},
          QVariantMap{{"key", "upper_left"}, {"label", tr("Left arm")}},
          QVariantMap{{"key", "lower_right"}, {"label", tr("Right leg")}},
          QVariantMap{{"key", "lower_left"}, {"label", tr("Left leg")}}};
}

QVariantList PatientModel::jointChoices() const { return choicesOf(screening::jointNames()); }

QVariantList PatientModel::consentScopes() const {
  return {
      QVariantMap{{"key", "dry-needling"}, {"label", tr("Dry needling")}, {"pneumothorax", false}},
      QVariantMap{{"key", "thoracic-needling"},
                  {"label", tr("Dry needling over the thorax (risk of pneumothorax explained)")},
                  {"pneumothorax", true}},
      QVariantMap{{"key", "laser"}, {"label", tr("Low-level laser therapy")}, {"pneumothorax", false}},
      QVariantMap{{"key", "e-stim"}, {"label", tr("Electrical stimulation through needles")}, {"pneumothorax", false}},
  };
}

QStringList PatientModel::flaggedContraindications(const QVariantMap& answers) const {
  QStringList out;
  for (const Question& q : kTopics)
    if (answers.value(QLatin1String(q.key)).toBool())
      out << QStringLiteral("%1 (%2)").arg(tr(q.label), QLatin1String(q.affects));
  return out;
}

}  // namespace tautband::ui
