#pragma once

#include "store/ClinicalRecord.h"
#include "ui/PendingWork.h"

#include <QAbstractListModel>
#include <QJsonObject>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace tautband::store {
class Store;
}

namespace tautband::ui {

class AuthModel;

// The patient list and the screening/consent form: rows come from the store
// (listing is audited), the contraindication screen's questions are defined
// here once, BMI is computed from height and weight. Names and notes are
// passed through untouched: QML shows them as plain text.
class PatientModel : public QAbstractListModel {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("created by the console's composition root")
  Q_PROPERTY(int count READ count NOTIFY countChanged)
  Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
  Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
  Q_PROPERTY(QString message READ message NOTIFY messageChanged)
  Q_PROPERTY(bool canEdit READ canEdit NOTIFY permissionsChanged)
  // Version 1 questions (records written before version 2 are read with these keys).
  Q_PROPERTY(QVariantList screeningQuestions READ screeningQuestions CONSTANT)
  // The form (version 2): one tile per topic, each with its follow-up kind
  // (none | weeks | implant | regions | limbs | joints), and the follow-ups' choices.
  Q_PROPERTY(QVariantList screeningTopics READ screeningTopics CONSTANT)
  Q_PROPERTY(QVariantList screeningAreas READ screeningAreas CONSTANT)
  Q_PROPERTY(QVariantList implantChoices READ implantChoices CONSTANT)
  Q_PROPERTY(QVariantList limbChoices READ limbChoices CONSTANT)
  Q_PROPERTY(QVariantList jointChoices READ jointChoices CONSTANT)
  // The patient's latest stored screen as loadScreening read it: {patientId, formVersion,
  // answers, summary (lines of plain text), understood, problems}; empty until read.
  Q_PROPERTY(QVariantMap latestScreening READ latestScreening NOTIFY latestScreeningChanged)
  Q_PROPERTY(QVariantList consentScopes READ consentScopes CONSTANT)
  // The id of the patient saved last (QML reacts to it without a Connections object).
  Q_PROPERTY(double lastCreatedId READ lastCreatedId NOTIFY patientCreated)

 public:
  enum Role {
    PatientIdRole = Qt::UserRole + 1,
    MrnRole,
    FamilyNameRole,
    GivenNameRole,
    BirthDateRole,
    SexRole,
    HeightRole,
    WeightRole,
    BmiRole,
    GuardianRole,
    NotesRole,
    LabelRole,
  };

  static constexpr const char* kScreeningFormVersion = "contraindications-2";
  static constexpr const char* kConsentTextVersion = "consent-1";

  PatientModel(AuthModel& auth, QObject* parent = nullptr);
  void attach(store::Store& store);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

  int count() const { return static_cast<int>(visible_.size()); }
  QString filter() const { return filter_; }
  void setFilter(const QString& filter);
  bool busy() const { return pending_.busy(); }
  QString message() const { return message_; }
  bool canEdit() const;
  double lastCreatedId() const { return static_cast<double>(lastCreatedId_); }
  QVariantList screeningQuestions() const;
  QVariantList screeningTopics() const;
  // Atlas regions for the "where" follow-ups, in a few body-area groups:
  // [{name, regions: [{id, label, side}]}].
  QVariantList screeningAreas() const;
  QVariantList implantChoices() const;
  QVariantList limbChoices() const;
  QVariantList jointChoices() const;
  QVariantList consentScopes() const;

  Q_INVOKABLE void refresh();
  // fields: mrn, familyName, givenName, birthDate (yyyy-MM-dd), sex, heightCm, weightKg, guardianName, notes
  Q_INVOKABLE void createPatient(const QVariantMap& fields);
  // answers: one bool per topic key (a topic without one is unanswered: refused, never written
  // as "no"); the follow-ups of a "yes" ("pregnancy_weeks" as text,
  // "pacemaker_devices", "<topic>_where" as lists, "pacemaker_clearance_on_file" with
  // "pacemaker_clearance" {clinician, date}); "details", "heightCm", "weightKg". Stored as form version 2
  // (docs/CLINICAL-CONTEXT.md); a "yes" without its follow-up is not saved and says why.
  Q_INVOKABLE void recordScreening(qint64 patientId, const QVariantMap& answers);
  // The answers as version 2 JSON, or the reason they cannot be saved (`problem`).
  static QJsonObject screeningJson(const QVariantMap& answers, QString* problem);
  // Reads the patient's latest screening from the store (audited as a patient read) into
  // latestScreening; called again after each save so the pane shows what the store holds.
  Q_INVOKABLE void loadScreening(qint64 patientId);
  QVariantMap latestScreening() const { return latestScreening_; }
  // A stored screen in words, one line per "yes" with its follow-ups (clearance reference verbatim).
  static QStringList screeningSummary(const QJsonObject& answers);
  Q_INVOKABLE void recordConsent(qint64 patientId, const QString& scope, bool namesPneumothorax,
                                 const QString& givenBy, const QString& guardianName);
  Q_INVOKABLE QVariantMap get(int row) const;
  Q_INVOKABLE int rowOf(qint64 patientId) const;
  // kg / m²; -1 when height or weight is missing or implausible.
  Q_INVOKABLE static double bmi(double heightCm, double weightKg);
  Q_INVOKABLE static QString bmiCategory(double bmi);
  // Screening answers that need attention before needling or laser (labels).
  Q_INVOKABLE QStringList flaggedContraindications(const QVariantMap& answers) const;

 signals:
  void countChanged();
  void filterChanged();
  void busyChanged();
  void messageChanged();
  void permissionsChanged();
  void patientCreated(qint64 patientId);
  void screeningRecorded(qint64 patientId, qint64 screeningId);
  void consentRecorded(qint64 patientId, qint64 consentId);
  void latestScreeningChanged();

 private:
  void rebuildVisible();
  void setMessage(const QString& message);
  bool start(store::Action action, const QString& what);

  AuthModel& auth_;
  store::Store* store_ = nullptr;
  PendingWork pending_{this};
  std::vector<store::Patient> all_;
  std::vector<int> visible_;  // indexes into all_
  QString filter_;
  QString message_;
  qint64 lastCreatedId_ = 0;
  QVariantMap latestScreening_;
};

}  // namespace tautband::ui
