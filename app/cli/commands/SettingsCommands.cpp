#include "cli/commands/SettingsCommands.h"

#include "anatomy/Atlas.h"
#include "cli/commands/AuditCommandSupport.h"
#include "safety/ClinicSettings.h"
#include "safety/LaserPresets.h"
#include "store/ClinicSettingsStore.h"
#include "store/Database.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace tautband::cli {
namespace {

using safety::ClinicConfiguration;

QString q(const std::string& text) { return QString::fromStdString(text); }

QCommandLineOption fileOption(const QString& what) {
  return QCommandLineOption(QStringLiteral("file"), what, QStringLiteral("FILE"));
}

std::optional<QJsonObject> storedObject(store::WriteTransaction& tx, const char* key) {
  const auto stored = store::readClinicSetting(tx, QString::fromLatin1(key));
  if (!stored) return std::nullopt;
  return stored->value.toObject();  // a non-object fails validation by its missing format
}

ClinicConfiguration effective(store::Store& store) {
  const auto [settings, presets] = store.writer()
                                       .submit([](store::WriteTransaction& tx) {
                                         return std::pair{storedObject(tx, store::kClinicSettingsKey),
                                                          storedObject(tx, store::kLaserPresetsKey)};
                                       })
                                       .get();
  return safety::effectiveConfiguration(safety::defaultClinicSettings(), settings, presets, anatomy::Atlas::builtin());
}

std::unique_ptr<store::Store> openExisting(const QCommandLineParser& args, CommandContext& context) {
  const store::StoreSettings settings = storeSettingsFrom(args, context);
  if (settings.engine == store::Engine::Sqlite && !std::filesystem::exists(settings.sqlitePath))
    throw CommandError(kExitUsage, QStringLiteral("database %1 does not exist").arg(settings.describe()));
  return openStore(settings);
}

// The object in --file; the `show --json` output (the object under `wrapper`) is accepted as it is.
QJsonObject readJsonFile(const QCommandLineParser& args, const QString& wrapper) {
  if (!args.isSet(QStringLiteral("file"))) throw CommandError(kExitUsage, QStringLiteral("--file FILE is required"));
  const QString path = args.value(QStringLiteral("file"));
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly))
    throw CommandError(kExitUsage, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
  QJsonParseError error{};
  const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
  if (error.error != QJsonParseError::NoError || !doc.isObject())
    throw CommandError(kExitUsage, QStringLiteral("%1 is not a JSON object (%2)").arg(path, error.errorString()));
  const QJsonObject root = doc.object();
  return root.value(wrapper).isObject() ? root.value(wrapper).toObject() : root;
}

// Changing settings needs a named manager or admin (password checked), never the OS account.
store::Actor namedActor(const QCommandLineParser& args, CommandContext& context, store::Store& store) {
  if (!args.isSet(QStringLiteral("user")))
    throw CommandError(kExitUsage, QStringLiteral("--user LOGIN is required (a manager or admin)"));
  return resolveActor(args, context, store);
}

void write(store::Store& store, const store::Actor& actor, const char* key, const QJsonObject& value) {
  try {
    store.clinical().setClinicSetting(actor, QString::fromLatin1(key), value).get();
  } catch (const store::PermissionDenied& e) {
    throw CommandError(kExitCheckFailed, QString::fromStdString(e.what()));
  }
}

QString boundsText(const safety::DoseBounds& b) {
  QString text = QStringLiteral("%1-%2 mW, %3-%4 s").arg(b.powerMinMw).arg(b.powerMaxMw).arg(b.timeMinS).arg(b.timeMaxS);
  if (b.energyMinJ > 0 || b.energyMaxJ > 0) text += QStringLiteral(", %1-%2 J/point").arg(b.energyMinJ).arg(b.energyMaxJ);
  return text;
}

QString settingsText(const ClinicConfiguration& c) {
  const safety::ClinicSettings& s = c.settings;
  QString t = QStringLiteral("Clinic settings %1 (%2)\n")
                  .arg(q(s.settingsVersion), c.settingsFromStore ? QStringLiteral("clinic's, stored") : QStringLiteral("shipped defaults"));
  t += QStringLiteral("Thorax:   bilateral window %1 h, observation %2 min, ultrasound margin %3 mm, lung disease x%4\n")
           .arg(s.bilateralThoraxWindowH).arg(s.thoracicObservationMin).arg(s.ultrasoundMarginMm).arg(s.lungDiseaseLimitFactor);
  t += QStringLiteral("E-stim:   density ACK above %1 mA/cm2 (r.m.s.)\n").arg(s.estimDensityAckMaPerCm2);
  t += QStringLiteral("Laser:    power check every %1 days (tolerance %2 %), warning delay %3 s, Class 4 above %4 mW, "
                      "stationary Class 4 max %5 mW/cm2\n")
           .arg(s.powerCheckIntervalDays).arg(s.powerTolerance * 100).arg(s.laserWarningDelayS).arg(s.class4ThresholdMw)
           .arg(s.class4StationaryIrradianceMaxMwCm2);
  for (const auto& table : s.doseTables)
    t += QStringLiteral("Dose %1:  clinic %2; WALT %3\n").arg(q(table.id), boundsText(table.clinic), boundsText(table.walt));
  t += QStringLiteral("Research amplifier: %1\n").arg(s.researchAmplifierAllowed ? QStringLiteral("allowed") : QStringLiteral("not allowed"));
  for (const auto& problem : c.problems) t += QStringLiteral("WARNING: %1\n").arg(q(problem));
  return t;
}

QJsonArray problemsJson(const ClinicConfiguration& c) {
  QJsonArray problems;
  for (const auto& p : c.problems) problems.append(q(p));
  return problems;
}

QString presetsText(const safety::LaserPresets& presets) {
  if (presets.presets.empty()) return QStringLiteral("No laser presets.\n");
  QString t;
  for (const auto& p : presets.presets) {
    const auto* muscle = anatomy::Atlas::builtin().muscle(p.muscleId);
    t += QStringLiteral("%1: %2 nm %3, %4 mW, %5 cm2, %6 J x %7 points (%8 s per point)\n")
             .arg(muscle ? q(muscle->name) : q(p.muscleId))
             .arg(p.wavelengthNm)
             .arg(p.mode == safety::LaserMode::Pulsed
                      ? QStringLiteral("pulsed %1 Hz %2 %").arg(p.pulseFrequencyHz).arg(p.dutyPercent)
                      : QStringLiteral("CW"))
             .arg(p.powerMw)
             .arg(p.spotAreaCm2)
             .arg(p.energyPerPointJ)
             .arg(p.points)
             .arg(p.timePerPointS(), 0, 'f', 1);
  }
  return t;
}

}  // namespace

CommandSpec SettingsShowCommand::spec() const {
  return CommandSpec{
      .path = {QStringLiteral("settings"), QStringLiteral("show")},
      .summary = QStringLiteral("Show the clinic's effective safety settings (defaults + stored)."),
      .description = QStringLiteral("The shipped clinic_settings.json with the clinic's stored settings laid over it; "
                                    "--json prints the settings file format (settings set --file reads it back)."),
      .options = {storeopts::db()},
      .positionals = {},
  };
}

int SettingsShowCommand::run(const QCommandLineParser& args, CommandContext& context) {
  auto store = openExisting(args, context);
  const ClinicConfiguration c = effective(*store);
  QJsonObject json = safety::clinicSettingsToJson(c.settings);
  QJsonObject out{{"settings", json}, {"from_store", c.settingsFromStore}, {"problems", problemsJson(c)}};
  context.print(out, settingsText(c));
  return kExitOk;
}

CommandSpec SettingsSetCommand::spec() const {
  return CommandSpec{
      .path = {QStringLiteral("settings"), QStringLiteral("set")},
      .summary = QStringLiteral("Replace the clinic's safety settings (manager/admin; validated, audited)."),
      .description = QStringLiteral("FILE holds a tautband.safety.clinic_settings object (as `settings show --json` "
                                    "prints under \"settings\"; missing keys keep the shipped value). A value that "
                                    "loosens a sourced bound is refused naming it (exit 2); a role that may not "
                                    "change settings exits 1."),
      .options = {storeopts::db(), storeopts::user(), fileOption(QStringLiteral("The settings JSON file."))},
      .positionals = {},
  };
}

int SettingsSetCommand::run(const QCommandLineParser& args, CommandContext& context) {
  const QJsonObject requested = readJsonFile(args, QStringLiteral("settings"));
  auto store = openExisting(args, context);
  const store::Actor actor = namedActor(args, context, *store);
  const ClinicConfiguration before = effective(*store);
  safety::ClinicSettings next;
  try {
    next = safety::overlayClinicSettings(safety::defaultClinicSettings(), requested);
    // The presets already stored must still hold under the new dose tables.
    safety::validate(before.presets, next, anatomy::Atlas::builtin());
  } catch (const safety::SettingsError& e) {
    throw CommandError(kExitUsage, QStringLiteral("refused: %1").arg(QString::fromStdString(e.what())));
  }
  write(*store, actor, store::kClinicSettingsKey, safety::clinicSettingsToJson(next));
  const ClinicConfiguration after = effective(*store);
  context.print(QJsonObject{{"settings", safety::clinicSettingsToJson(after.settings)}, {"changed_by", actor.login}},
                QStringLiteral("Saved by %1.\n").arg(actor.login) + settingsText(after));
  return kExitOk;
}

CommandSpec SettingsPresetsShowCommand::spec() const {
  return CommandSpec{
      .path = {QStringLiteral("settings"), QStringLiteral("presets"), QStringLiteral("show")},
      .summary = QStringLiteral("Show the clinic's laser presets per muscle."),
      .description = QStringLiteral("Presets that no longer hold under the effective dose tables are left out and "
                                    "named as warnings; --json prints the presets file format."),
      .options = {storeopts::db()},
      .positionals = {},
  };
}

int SettingsPresetsShowCommand::run(const QCommandLineParser& args, CommandContext& context) {
  auto store = openExisting(args, context);
  const ClinicConfiguration c = effective(*store);
  QString text = presetsText(c.presets);
  for (const auto& problem : c.problems) text += QStringLiteral("WARNING: %1\n").arg(q(problem));
  context.print(QJsonObject{{"presets", safety::laserPresetsToJson(c.presets)}, {"problems", problemsJson(c)}}, text);
  return kExitOk;
}

CommandSpec SettingsPresetsSetCommand::spec() const {
  return CommandSpec{
      .path = {QStringLiteral("settings"), QStringLiteral("presets"), QStringLiteral("set")},
      .summary = QStringLiteral("Replace the clinic's laser presets (manager/admin; validated, audited)."),
      .description = QStringLiteral("FILE holds a tautband.laser.presets object. Each preset names an atlas muscle "
                                    "and stays inside its dose table's WALT bounds (mean power, energy / power "
                                    "time per point); otherwise it is refused naming the muscle (exit 2)."),
      .options = {storeopts::db(), storeopts::user(), fileOption(QStringLiteral("The presets JSON file."))},
      .positionals = {},
  };
}

int SettingsPresetsSetCommand::run(const QCommandLineParser& args, CommandContext& context) {
  const QJsonObject requested = readJsonFile(args, QStringLiteral("presets"));
  auto store = openExisting(args, context);
  const store::Actor actor = namedActor(args, context, *store);
  const ClinicConfiguration c = effective(*store);
  safety::LaserPresets presets;
  try {
    presets = safety::laserPresetsFromJson(requested);
    safety::validate(presets, c.settings, anatomy::Atlas::builtin());
  } catch (const safety::SettingsError& e) {
    throw CommandError(kExitUsage, QStringLiteral("refused: %1").arg(QString::fromStdString(e.what())));
  }
  write(*store, actor, store::kLaserPresetsKey, safety::laserPresetsToJson(presets));
  context.print(QJsonObject{{"presets", safety::laserPresetsToJson(presets)}, {"changed_by", actor.login}},
                QStringLiteral("Saved by %1.\n").arg(actor.login) + presetsText(presets));
  return kExitOk;
}

void registerSettingsCommands(Dispatcher& dispatcher) {
  dispatcher.add(std::make_unique<SettingsShowCommand>());
  dispatcher.add(std::make_unique<SettingsSetCommand>());
  dispatcher.add(std::make_unique<SettingsPresetsShowCommand>());
  dispatcher.add(std::make_unique<SettingsPresetsSetCommand>());
}

}  // namespace tautband::cli
