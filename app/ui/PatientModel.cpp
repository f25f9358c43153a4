#include "ui/PatientModel.h"

#include "store/Store.h"
#include "ui/AuthModel.h"

#include <QJsonObject>

#include <cmath>

namespace tautband::ui {
namespace {

struct Question {
  const char* key;
  const char* label;
  const char* affects;  // what it restricts, shown beside the question
};

// BRIEF §3 "contraindication screen". The keys are the stored JSON keys.
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

void PatientModel::recordScreening(qint64 patientId, const QVariantMap& answers) {
  QJsonObject json;
  for (const Question& q : kQuestions) json.insert(QLatin1String(q.key), answers.value(QLatin1String(q.key)).toBool());
  json.insert(QStringLiteral("details"), answers.value(QStringLiteral("details")).toString());
  const auto h = positive(answers.value(QStringLiteral("heightCm")));
  const auto w = positive(answers.value(QStringLiteral("weightKg")));
  if (h) json.insert(QStringLiteral("height_cm"), *h);
  if (w) json.insert(QStringLiteral("weight_kg"), *w);
  if (h && w && bmi(*h, *w) > 0) json.insert(QStringLiteral("bmi"), std::round(bmi(*h, *w) * 10) / 10);
  if (!start(store::Action::EditPatient, tr("record a screening"))) return;
  pending_.whileBusy(store_->clinical().recordScreening(*auth_.actor(), patientId, json,
                                                   QString::fromLatin1(kScreeningFormVersion)),
                [this, patientId](const Done<qint64>& d) {
                  setMessage(d.ok() ? tr("Screening saved.") : tr("Screening not saved: %1").arg(d.error));
                  if (d.ok()) emit screeningRecorded(patientId, *d.value);
                });
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
  for (const Question& q : kQuestions)
    if (answers.value(QLatin1String(q.key)).toBool())
      out << QStringLiteral("%1 (%2)").arg(tr(q.label), QLatin1String(q.affects));
  return out;
}

}  // namespace tautband::ui
