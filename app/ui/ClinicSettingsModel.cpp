#include "ui/ClinicSettingsModel.h"

#include "store/ClinicSettingsStore.h"
#include "store/Store.h"
#include "ui/AuthModel.h"

#include <QJsonArray>

#include <algorithm>

namespace tautband::ui {
namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

// The clinic-configurable figures (SAFETY-RULES.md), how the page shows them and the range
// its steppers offer. The steppers only help: validate() in the safety library decides.
struct Field {
  const char* key;
  const char* group;
  const char* label;
  const char* unit;
  double min, max, step;
  bool editable;
  const char* note;
};

constexpr Field kFields[] = {
    {"bilateral_thorax_window_h", "Thorax", "Both sides of the thorax: window", "h", 24, 168, 1, true,
     "AHPCSA: never both sides; 24 h is the least"},
    {"thoracic_observation_min", "Thorax", "Observation after thoracic needling", "min", 5, 120, 5, true,
     "our design"},
    {"ultrasound_margin_mm", "Thorax", "Ultrasound depth margin", "mm", 0, 20, 1, true, "our design"},
    {"lung_disease_limit_factor", "Thorax", "Needle limit factor with lung disease", "x", 0.3, 1.0, 0.05, true,
     "our design; 1 = no reduction"},
    {"estim_density_ack_ma_per_cm2", "E-stim", "Current density needing ACK", "mA/cm² r.m.s.", 0.1, 2.0, 0.1, true,
     "IEC 60601-2-10: at most 2"},
    {"power_check_interval_days", "Laser", "Power check interval", "days", 1, 365, 1, true,
     "21 CFR 1040.11(a) needs the check; interval is the clinic's"},
    {"power_tolerance_fraction", "Laser", "Power check tolerance", "fraction", 0.05, 0.20, 0.01, true,
     "21 CFR 1040.11(a): at most ±20 %"},
    {"laser_warning_delay_s", "Laser", "Warning before emission", "s", 1, 10, 0.5, true,
     "21 CFR 1040.10(f); applies from the next console start"},
    {"class4_threshold_mw", "Laser", "Class 4 above", "mW", 100, 500, 10, true, "IEC 60825-1: at most 500"},
    {"class4_stationary_irradiance_max_mw_per_cm2", "Laser", "Class 4 stationary irradiance max", "mW/cm²", 10, 100, 5,
     true, "WALT 100 mW/cm² reused as a thermal cap"},
    {"age_of_majority_years", "Patients", "Age of majority", "years", 16, 21, 1, true, "local law; at least 16"},
    {"first_trimester_weeks", "Patients", "First trimester ends", "weeks", 13, 16, 1, true, "at least 13"},
};

const char* const kBoundFields[] = {"power_min_mw", "power_max_mw", "time_min_s", "time_max_s", "energy_min_j", "energy_max_j"};

QVariantMap presetMap(const safety::LaserPreset& p, const anatomy::Atlas& atlas) {
  const auto* muscle = atlas.muscle(p.muscleId);
  return {{QStringLiteral("muscle"), qs(p.muscleId)},
          {QStringLiteral("muscleName"), muscle ? qs(muscle->name) : qs(p.muscleId)},
          {QStringLiteral("wavelengthNm"), p.wavelengthNm},
          {QStringLiteral("mode"), p.mode == safety::LaserMode::Pulsed ? QStringLiteral("pulsed") : QStringLiteral("cw")},
          {QStringLiteral("powerMw"), p.powerMw},
          {QStringLiteral("frequencyHz"), p.pulseFrequencyHz},
          {QStringLiteral("dutyPercent"), p.dutyPercent},
          {QStringLiteral("spotAreaCm2"), p.spotAreaCm2},
          {QStringLiteral("energyPerPointJ"), p.energyPerPointJ},
          {QStringLiteral("points"), p.points},
          {QStringLiteral("timePerPointS"), p.timePerPointS()}};
}

std::optional<QJsonObject> objectOf(const std::optional<store::StoredClinicSetting>& stored) {
  if (!stored) return std::nullopt;
  return stored->value.toObject();
}

}  // namespace

ClinicSettingsModel::ClinicSettingsModel(AuthModel& auth, const anatomy::Atlas& atlas, QObject* parent)
    : QObject(parent), auth_(auth), atlas_(atlas) {
  configuration_.settings = safety::defaultClinicSettings();
  draft_ = safety::clinicSettingsToJson(configuration_.settings);
  for (const auto& m : atlas_.muscles())
    muscles_.append(QVariantMap{{QStringLiteral("id"), qs(m.id)}, {QStringLiteral("name"), qs(m.name)}});
  pending_.onBusyChanged([this] { emit busyChanged(); });
  connect(&auth_, &AuthModel::userChanged, this, &ClinicSettingsModel::permissionsChanged);
}

void ClinicSettingsModel::attach(store::Store& store) {
  store_ = &store;
  refresh();
}

bool ClinicSettingsModel::canEdit() const { return auth_.allows(store::Action::ChangeClinicSettings); }

void ClinicSettingsModel::say(const QString& text) {
  if (message_ == text) return;
  message_ = text;
  emit messageChanged();
}

void ClinicSettingsModel::refresh() {
  if (!store_) return;
  pending_.whileBusy(store_->writer().submit([](store::WriteTransaction& tx) {
    return std::pair{objectOf(store::readClinicSetting(tx, QString::fromLatin1(store::kClinicSettingsKey))),
                     objectOf(store::readClinicSetting(tx, QString::fromLatin1(store::kLaserPresetsKey)))};
  }),
                     [this](const auto& done) {
                       if (!done.ok()) {
                         say(tr("Clinic settings not read: %1").arg(done.error));
                         return;
                       }
                       load(done.value->first, done.value->second);
                     });
}

void ClinicSettingsModel::load(const std::optional<QJsonObject>& settings, const std::optional<QJsonObject>& presets) {
  configuration_ = safety::effectiveConfiguration(safety::defaultClinicSettings(), settings, presets, atlas_);
  draft_ = safety::clinicSettingsToJson(configuration_.settings);
  emit configurationChanged();
  emit draftChanged();
}

QVariantList ClinicSettingsModel::groups() const {
  QVariantList out;
  QString current;
  QVariantList items;
  const auto flush = [&] {
    if (!current.isEmpty()) out.append(QVariantMap{{QStringLiteral("title"), current}, {QStringLiteral("items"), items}});
    items.clear();
  };
  for (const Field& f : kFields) {
    if (current != QLatin1String(f.group)) {
      flush();
      current = QLatin1String(f.group);
    }
    const QString key = QLatin1String(f.key);
    items.append(QVariantMap{{QStringLiteral("key"), key},
                             {QStringLiteral("label"), tr(f.label)},
                             {QStringLiteral("unit"), QString::fromUtf8(f.unit)},
                             {QStringLiteral("value"), draft_.value(key).toDouble()},
                             {QStringLiteral("min"), f.min},
                             {QStringLiteral("max"), f.max},
                             {QStringLiteral("step"), f.step},
                             {QStringLiteral("editable"), f.editable},
                             {QStringLiteral("note"), QString::fromUtf8(f.note)}});
  }
  flush();
  return out;
}

QVariantList ClinicSettingsModel::doseTables() const {
  QVariantList out;
  for (const QJsonValue& v : draft_.value(QStringLiteral("dose_tables")).toArray()) {
    const QJsonObject t = v.toObject();
    out.append(QVariantMap{{QStringLiteral("id"), t.value(QStringLiteral("id")).toString()},
                           {QStringLiteral("title"), tr("%1–%2 nm")
                                                         .arg(t.value(QStringLiteral("wavelength_min_nm")).toDouble())
                                                         .arg(t.value(QStringLiteral("wavelength_max_nm")).toDouble())},
                           {QStringLiteral("clinic"), t.value(QStringLiteral("clinic")).toObject().toVariantMap()},
                           {QStringLiteral("walt"), t.value(QStringLiteral("walt")).toObject().toVariantMap()}});
  }
  return out;
}

bool ClinicSettingsModel::researchAmplifierAllowed() const {
  return draft_.value(QStringLiteral("research_amplifier_allowed")).toBool();
}

QStringList ClinicSettingsModel::problems() const {
  QStringList out;
  for (const auto& p : configuration_.problems) out << qs(p);
  return out;
}

QVariantList ClinicSettingsModel::presets() const {
  QVariantList out;
  for (const auto& p : configuration_.presets.presets) out.append(presetMap(p, atlas_));
  return out;
}

void ClinicSettingsModel::setValue(const QString& key, const QVariant& value) {
  if (!draft_.contains(key) || key == QLatin1String("dose_tables") || key.startsWith(QLatin1String("format"))) return;
  const QJsonValue v = value.typeId() == QMetaType::Bool ? QJsonValue(value.toBool()) : QJsonValue(value.toDouble());
  if (draft_.value(key) == v) return;
  draft_.insert(key, v);
  emit draftChanged();
}

void ClinicSettingsModel::setClinicBound(const QString& tableId, const QString& field, double value) {
  if (std::none_of(std::begin(kBoundFields), std::end(kBoundFields), [&](const char* f) { return field == QLatin1String(f); }))
    return;
  QJsonArray tables = draft_.value(QStringLiteral("dose_tables")).toArray();
  for (qsizetype i = 0; i < tables.size(); ++i) {
    QJsonObject t = tables.at(i).toObject();
    if (t.value(QStringLiteral("id")).toString() != tableId) continue;
    QJsonObject clinic = t.value(QStringLiteral("clinic")).toObject();
    if (clinic.value(field).toDouble() == value) return;
    clinic.insert(field, value);
    t.insert(QStringLiteral("clinic"), clinic);
    tables.replace(i, t);
    draft_.insert(QStringLiteral("dose_tables"), tables);
    emit draftChanged();
    return;
  }
}

void ClinicSettingsModel::revert() {
  draft_ = safety::clinicSettingsToJson(configuration_.settings);
  say({});
  emit draftChanged();
}

bool ClinicSettingsModel::startWrite() {
  if (!store_) {
    say(tr("The clinic database is not open."));
    return false;
  }
  if (!canEdit()) {
    say(tr("Only a manager or an administrator may change clinic settings."));
    return false;
  }
  return true;
}

void ClinicSettingsModel::save() {
  if (!startWrite()) return;
  safety::ClinicSettings next;
  try {
    next = safety::overlayClinicSettings(safety::defaultClinicSettings(), draft_);
    // The presets already stored must still hold under the new dose tables.
    safety::validate(configuration_.presets, next, atlas_);
  } catch (const safety::SettingsError& e) {
    say(tr("Not saved: %1").arg(QString::fromStdString(e.what())));
    return;
  }
  pending_.whileBusy(store_->clinical().setClinicSetting(*auth_.actor(), QString::fromLatin1(store::kClinicSettingsKey),
                                                         safety::clinicSettingsToJson(next)),
                     [this](const Done<std::monostate>& done) {
                       say(done.ok() ? tr("Clinic settings saved (audited).") : tr("Not saved: %1").arg(done.error));
                       refresh();
                     });
}

QVariantMap ClinicSettingsModel::presetForMuscle(const QString& muscleId) const {
  const auto* p = configuration_.presets.forMuscle(muscleId.toStdString());
  return p ? presetMap(*p, atlas_) : QVariantMap{};
}

QVariantMap ClinicSettingsModel::presetForSite(const QString& regionId) const {
  const auto* region = atlas_.region(regionId.toStdString());
  return region ? presetForMuscle(qs(region->muscleId)) : QVariantMap{};
}

void ClinicSettingsModel::storePresets(const safety::LaserPresets& presets, const QString& doneText) {
  try {
    safety::validate(presets, configuration_.settings, atlas_);
  } catch (const safety::SettingsError& e) {
    say(tr("Preset not saved: %1").arg(QString::fromStdString(e.what())));
    return;
  }
  pending_.whileBusy(store_->clinical().setClinicSetting(*auth_.actor(), QString::fromLatin1(store::kLaserPresetsKey),
                                                         safety::laserPresetsToJson(presets)),
                     [this, doneText](const Done<std::monostate>& done) {
                       say(done.ok() ? doneText : tr("Preset not saved: %1").arg(done.error));
                       refresh();
                     });
}

void ClinicSettingsModel::savePreset(const QVariantMap& preset) {
  if (!startWrite()) return;
  QJsonObject one = QJsonObject::fromVariantMap(preset);
  // The page's names -> the file format's.
  const QJsonObject mapped{{"muscle", one.value(QStringLiteral("muscle"))},
                           {"wavelength_nm", one.value(QStringLiteral("wavelengthNm"))},
                           {"mode", one.value(QStringLiteral("mode"))},
                           {"power_mw", one.value(QStringLiteral("powerMw"))},
                           {"pulse_frequency_hz", one.value(QStringLiteral("frequencyHz"))},
                           {"duty_percent", one.value(QStringLiteral("dutyPercent"))},
                           {"spot_area_cm2", one.value(QStringLiteral("spotAreaCm2"))},
                           {"energy_per_point_j", one.value(QStringLiteral("energyPerPointJ"))},
                           {"points", one.value(QStringLiteral("points"))}};
  safety::LaserPresets parsed;
  try {
    parsed = safety::laserPresetsFromJson(
        QJsonObject{{"format", "tautband.laser.presets"}, {"format_version", 1}, {"presets", QJsonArray{mapped}}});
  } catch (const safety::SettingsError& e) {
    say(tr("Preset not saved: %1").arg(QString::fromStdString(e.what())));
    return;
  }
  safety::LaserPresets next = configuration_.presets;
  auto& list = next.presets;
  list.erase(std::remove_if(list.begin(), list.end(), [&](const auto& p) { return p.muscleId == parsed.presets[0].muscleId; }),
             list.end());
  list.push_back(parsed.presets[0]);
  storePresets(next, tr("Preset for %1 saved (audited).").arg(presetMap(parsed.presets[0], atlas_).value(QStringLiteral("muscleName")).toString()));
}

void ClinicSettingsModel::removePreset(const QString& muscleId) {
  if (!startWrite()) return;
  safety::LaserPresets next = configuration_.presets;
  auto& list = next.presets;
  list.erase(std::remove_if(list.begin(), list.end(), [&](const auto& p) { return qs(p.muscleId) == muscleId; }), list.end());
  storePresets(next, tr("Preset removed (audited)."));
}

}  // namespace tautband::ui
