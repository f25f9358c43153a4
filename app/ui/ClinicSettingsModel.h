#pragma once

#include "anatomy/Atlas.h"
#include "safety/LaserPresets.h"
#include "ui/PendingWork.h"

#include <QJsonObject>
#include <QObject>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace tautband::store {
class Store;
}

namespace tautband::ui {

class AuthModel;

// The clinic's safety settings and laser presets (SAFETY-RULES.md "clinic-configurable";
// docs/SAFETY.md "Clinic settings"). Everyone's console evaluates with the effective ones
// (configuration()); a manager or admin edits a draft on the Settings page and saves it:
// validated against the shipped sourced figures first (a value that loosens one is refused,
// naming it), then stored and audited with the old and the new value by the store.
class ClinicSettingsModel : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("created by the console's composition root")
  // [{title, items: [{key, label, unit, value, min, max, step, editable, note}]}]
  Q_PROPERTY(QVariantList groups READ groups NOTIFY draftChanged)
  // [{id, title, clinic: {power_min_mw, ...}, walt: {...}}]
  Q_PROPERTY(QVariantList doseTables READ doseTables NOTIFY draftChanged)
  Q_PROPERTY(bool researchAmplifierAllowed READ researchAmplifierAllowed NOTIFY draftChanged)
  Q_PROPERTY(bool dirty READ dirty NOTIFY draftChanged)
  Q_PROPERTY(bool fromStore READ fromStore NOTIFY configurationChanged)
  Q_PROPERTY(QStringList problems READ problems NOTIFY configurationChanged)
  // [{muscle, muscleName, wavelengthNm, mode, powerMw, frequencyHz, dutyPercent, spotAreaCm2, energyPerPointJ,
  //   points, timePerPointS}]
  Q_PROPERTY(QVariantList presets READ presets NOTIFY configurationChanged)
  Q_PROPERTY(QVariantList muscles READ muscles CONSTANT)  // [{id, name}] of the atlas
  Q_PROPERTY(bool canEdit READ canEdit NOTIFY permissionsChanged)
  Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
  Q_PROPERTY(QString message READ message NOTIFY messageChanged)

 public:
  ClinicSettingsModel(AuthModel& auth, const anatomy::Atlas& atlas, QObject* parent = nullptr);
  // Reads the stored settings at once and after every save.
  void attach(store::Store& store);

  // What the evaluators use (shipped defaults until the store answered).
  const safety::ClinicConfiguration& configuration() const { return configuration_; }

  QVariantList groups() const;
  QVariantList doseTables() const;
  bool researchAmplifierAllowed() const;
  bool dirty() const { return draft_ != safety::clinicSettingsToJson(configuration_.settings); }
  bool fromStore() const { return configuration_.settingsFromStore; }
  QStringList problems() const;
  QVariantList presets() const;
  QVariantList muscles() const { return muscles_; }
  bool canEdit() const;
  bool busy() const { return pending_.busy(); }
  QString message() const { return message_; }

  Q_INVOKABLE void refresh();
  // Draft edits (nothing is stored until save()). key: a top-level settings key.
  Q_INVOKABLE void setValue(const QString& key, const QVariant& value);
  // field: power_min_mw | power_max_mw | time_min_s | time_max_s | energy_min_j | energy_max_j
  Q_INVOKABLE void setClinicBound(const QString& tableId, const QString& field, double value);
  Q_INVOKABLE void revert();
  Q_INVOKABLE void save();
  // Presets: the one for the muscle of an atlas region (the laser page's site), or {}.
  Q_INVOKABLE QVariantMap presetForSite(const QString& regionId) const;
  Q_INVOKABLE QVariantMap presetForMuscle(const QString& muscleId) const;
  // Adds or replaces the preset of preset.muscle; validated, stored, audited.
  Q_INVOKABLE void savePreset(const QVariantMap& preset);
  Q_INVOKABLE void removePreset(const QString& muscleId);
  Q_INVOKABLE void clearMessage() { say({}); }

 signals:
  void draftChanged();
  void configurationChanged();
  void permissionsChanged();
  void busyChanged();
  void messageChanged();

 private:
  void load(const std::optional<QJsonObject>& settings, const std::optional<QJsonObject>& presets);
  bool startWrite();
  void storePresets(const safety::LaserPresets& presets, const QString& done);
  void say(const QString& text);

  AuthModel& auth_;
  const anatomy::Atlas& atlas_;
  store::Store* store_ = nullptr;
  safety::ClinicConfiguration configuration_;
  QJsonObject draft_;
  QVariantList muscles_;
  QString message_;
  PendingWork pending_;
};

}  // namespace tautband::ui
