#include "cli/commands/DemoClinic.h"

#include "anatomy/Atlas.h"
#include "safety/ClinicSettings.h"
#include "safety/LaserPresets.h"
#include "store/CareContext.h"
#include "store/ClinicSettingsStore.h"

#include <QDate>
#include <QJsonObject>

#include <cmath>
#include <random>
#include <stdexcept>

namespace tautband::cli {
namespace {

struct DemoUser {
  const char* login;
  const char* name;
  store::Role role;
  const char* password;
};

// Demo passwords are printed on purpose: this database is for trying the console.
constexpr DemoUser kUsers[] = {
    {"admin", "Clinic Administrator", store::Role::Admin, "demo-admin-2026"},
    {"manager", "Morgan Reyes (manager)", store::Role::Manager, "demo-manager-2026"},
    {"therapist", "Alex Novak (PT)", store::Role::Therapist, "demo-therapist-2026"},
    {"therapist2", "Sam Okafor (PT)", store::Role::Therapist, "demo-therapist2-2026"},
    {"vendor", "Vendor Service", store::Role::VendorService, "demo-vendor-2026"},
};

struct DemoPatient {
  const char* mrn;
  const char* family;
  const char* given;
  const char* birth;
  double heightCm, weightKg;
  bool anticoagulants, lungDisease;
};

constexpr DemoPatient kPatients[] = {
    {"D-0001", "Lindqvist", "Maja", "1984-03-12", 168, 61, false, false},
    {"D-0002", "O'Connor", "Liam", "1972-11-02", 181, 88, true, false},
    {"D-0003", "Haddad", "Yasmin", "1990-06-25", 160, 52, false, false},
    {"D-0004", "Kowalski", "Piotr", "1958-01-30", 175, 79, false, true},
    {"D-0005", "Nakamura", "Emi", "1999-09-09", 157, 49, false, false},
};

// Where the demo site is on the body map: the atlas region's centre, and the zone there
// (lung field first: it is the one the reports and the bilateral rule care about).
struct Placed {
  QString muscle, side;
  QJsonObject location;
  QString zone;
  bool lungField = false;
};

Placed place(const DemoSite& site) {
  const anatomy::Atlas& atlas = anatomy::Atlas::builtin();
  const anatomy::Region* region = atlas.region(site.regionId);
  if (!region) throw std::runtime_error(std::string("demo site ") + site.regionId + " is not in the atlas");
  const anatomy::Point centre = anatomy::centroidOf(region->polygon);
  Placed p;
  p.muscle = QString::fromStdString(region->muscleId);
  p.side = QString::fromLatin1(anatomy::toString(region->side).data());
  p.location = QJsonObject{{"region_id", QString::fromStdString(region->id)},
                           {"view", QString::fromLatin1(anatomy::toString(region->view).data())},
                           {"x", centre.x},
                           {"y", centre.y}};
  for (const auto* zone : atlas.zonesAt(region->view, centre)) {
    if (p.zone.isEmpty() || zone->kind == "lung_field") p.zone = QString::fromStdString(zone->id);
    if (zone->kind == "lung_field") {
      p.lungField = true;
      break;
    }
  }
  return p;
}

}  // namespace

const std::vector<DemoSite>& demoSites() {
  static const std::vector<DemoSite> kSites = {
      // Every lung-field site on the left: the demo's sessions are all today, and needling both
      // lung fields of a patient within 24 h is refused (DN-LUNG-BILATERAL-24H).
      {"upper_trapezius_left"}, {"upper_trapezius_right"}, {"levator_scapulae_left"},
      {"rhomboids_left"},       {"infraspinatus_left"},
  };
  return kSites;
}

const std::vector<DemoUserLogin>& demoLogins() {
  static const std::vector<DemoUserLogin> kLogins = [] {
    std::vector<DemoUserLogin> out;
    for (const DemoUser& u : kUsers)
      out.push_back({QString::fromLatin1(u.login), QString::fromLatin1(u.password), store::roleName(u.role)});
    return out;
  }();
  return kLogins;
}

// Form version 2's twenty topics (docs/CLINICAL-CONTEXT.md "Form version 2"), in the form's order:
// every one is written, yes or no, as PatientModel::screeningJson writes them.
constexpr const char* kScreeningTopicsV2[] = {
    "pregnancy",        "pacemaker",           "implants",           "anticoagulants",
    "malignancy",       "cancer_history",      "recent_radiotherapy", "local_infection",
    "deep_vein_thrombosis", "tattoo_or_dark_skin", "recent_steroid_injection", "lymphoedema",
    "prosthetic_joint", "epilepsy",            "photosensitivity",   "lung_disease",
    "impaired_healing", "needle_fear",         "metal_allergy",      "open_growth_plates"};

QJsonObject demoScreeningAnswers(std::size_t index) {
  const std::size_t pi = index % std::size(kPatients);
  const DemoPatient& dp = kPatients[pi];
  QJsonObject answers;
  for (const char* topic : kScreeningTopicsV2) answers.insert(QLatin1String(topic), false);
  answers.insert(QStringLiteral("anticoagulants"), dp.anticoagulants);
  answers.insert(QStringLiteral("lung_disease"), dp.lungDisease);
  // What a therapist would record for each demo patient: a "yes" always with its follow-up
  // (the form refuses one without). None of them touches the sites the demo needles or lases,
  // so the recorded sessions stay ones the rules allow.
  QString details;
  switch (pi) {
    case 0:  // Maja: nothing to report (the screenshots' patient).
      break;
    case 1:  // Liam: a pacemaker with the cardiologist's clearance for e-stim on file; on warfarin.
      answers.insert(QStringLiteral("pacemaker"), true);
      answers.insert(QStringLiteral("pacemaker_devices"), QJsonArray{QStringLiteral("pacemaker")});
      // Evidence, not any text (screening::clearanceProblem): the clinician and the letter's
      // date, ten weeks before the demo is built (never in the future).
      answers.insert(QStringLiteral("pacemaker_clearance"),
                     QJsonObject{{"clinician", "Dr R. Lindgren, cardiology"},
                                 {"date", QDate::currentDate().addDays(-70).toString(Qt::ISODate)}});
      details = QStringLiteral("Warfarin, INR 2.4 at the last check. Dual-chamber pacemaker since 2019.");
      break;
    case 2:  // Yasmin: second trimester.
      answers.insert(QStringLiteral("pregnancy"), true);
      answers.insert(QStringLiteral("pregnancy_weeks"), 24);
      details = QStringLiteral("24 weeks, uncomplicated; midwife informed.");
      break;
    case 3:  // Piotr: COPD, melanoma excised at the right shoulder, right knee replacement.
      answers.insert(QStringLiteral("malignancy"), true);
      answers.insert(QStringLiteral("malignancy_where"), QJsonArray{QStringLiteral("deltoid_right")});
      answers.insert(QStringLiteral("prosthetic_joint"), true);
      answers.insert(QStringLiteral("prosthetic_joint_where"), QJsonArray{QStringLiteral("knee_right")});
      details = QStringLiteral("COPD (GOLD 2). Melanoma right shoulder excised 2025, dermatology follow-up. "
                               "Right knee replacement 2021.");
      break;
    default:  // Emi: a tattoo on the left shoulder, fainted at a blood test.
      answers.insert(QStringLiteral("tattoo_or_dark_skin"), true);
      answers.insert(QStringLiteral("tattoo_or_dark_skin_where"), QJsonArray{QStringLiteral("deltoid_left")});
      answers.insert(QStringLiteral("needle_fear"), true);
      details = QStringLiteral("Fainted at a blood test in 2024: treat lying down.");
      break;
  }
  answers.insert(QStringLiteral("details"), details);
  answers.insert(QStringLiteral("height_cm"), dp.heightCm);
  answers.insert(QStringLiteral("weight_kg"), dp.weightKg);
  const double metres = dp.heightCm / 100.0;
  answers.insert(QStringLiteral("bmi"), std::round(dp.weightKg / (metres * metres) * 10) / 10);
  answers.insert(QStringLiteral("form_version"), QLatin1String(kDemoScreeningFormVersion));
  return answers;
}

namespace {

// The demo clinic's laser protocol and presets, written the way `tautband-cli settings set`
// and `settings presets set` write them: the shipped settings overlaid with the clinic's
// changes and validated (never wider than the sourced figures), the presets validated against
// those settings and the atlas, both stored under the keys the console reads
// (store::kClinicSettingsKey, store::kLaserPresetsKey) by a manager, audited as setting.changed.
// A typo here throws instead of writing a key nothing reads.
void writeDemoLaserProtocol(store::ClinicalRecord& clinic, const store::Actor& manager) {
  QJsonObject requested = safety::clinicSettingsToJson(safety::defaultClinicSettings());
  requested.insert(QStringLiteral("settings_version"), QStringLiteral("demo-clinic-1"));
  // 780-860 nm: the clinic keeps its own protocol below WALT's 500 mW (a stricter, typical
  // house rule for the demo's 500 mW class 3B probe); 904/905 nm and the rest stay shipped.
  QJsonArray tables = requested.value(QStringLiteral("dose_tables")).toArray();
  for (qsizetype i = 0; i < tables.size(); ++i) {
    QJsonObject table = tables.at(i).toObject();
    if (table.value(QStringLiteral("id")).toString() != QLatin1String(kDemoProtocolTable)) continue;
    QJsonObject clinicBounds = table.value(QStringLiteral("clinic")).toObject();
    clinicBounds.insert(QStringLiteral("power_min_mw"), 10);
    clinicBounds.insert(QStringLiteral("power_max_mw"), kDemoProtocolMaxPowerMw);
    table.insert(QStringLiteral("clinic"), clinicBounds);
    tables.replace(i, table);
  }
  requested.insert(QStringLiteral("dose_tables"), tables);
  const safety::ClinicSettings settings = safety::overlayClinicSettings(safety::defaultClinicSettings(), requested);

  // Per-muscle presets (808 nm CW, inside the clinic protocol above: no supervisor needed).
  const auto preset = [](const char* muscle, double powerMw, double energyJ, int points) {
    return QJsonObject{{"muscle", muscle},         {"wavelength_nm", 808},      {"mode", "cw"},
                       {"power_mw", powerMw},      {"spot_area_cm2", 0.5},      {"energy_per_point_j", energyJ},
                       {"points", points}};
  };
  const QJsonObject presetsJson{{"format", "tautband.laser.presets"},
                                {"format_version", 1},
                                {"presets", QJsonArray{preset("upper_trapezius", 100, 4, 3),
                                                       preset("levator_scapulae", 150, 4.5, 2),
                                                       preset("quadratus_lumborum", 200, 6, 4)}}};
  const safety::LaserPresets presets = safety::laserPresetsFromJson(presetsJson);
  safety::validate(presets, settings, anatomy::Atlas::builtin());

  clinic.setClinicSetting(manager, QString::fromLatin1(store::kClinicSettingsKey), safety::clinicSettingsToJson(settings))
      .get();
  clinic.setClinicSetting(manager, QString::fromLatin1(store::kLaserPresetsKey), safety::laserPresetsToJson(presets))
      .get();
}

}  // namespace

DemoSummary buildDemoClinic(store::Store& storeRef, int minutes, unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  store::Store* store = &storeRef;
  auto& users = store->users();
  auto& clinic = store->clinical();
  DemoSummary summary;
  int& sessions = summary.sessions;
  int& needles = summary.needles;
  int& ltrs = summary.ltrs;
  int& doses = summary.doses;
    // Users, credentials.
    const store::UserRecord admin =
        users.createFirstAdmin(QString::fromLatin1(kUsers[0].login), QString::fromLatin1(kUsers[0].name),
                               QString::fromLatin1(kUsers[0].password)).get();
    std::vector<store::UserRecord> staff{admin};
    for (std::size_t i = 1; i < std::size(kUsers); ++i) {
      staff.push_back(users.createUser(i == 1 ? admin.actor() : staff[1].actor(), QString::fromLatin1(kUsers[i].login),
                                       QString::fromUtf8(kUsers[i].name), kUsers[i].role,
                                       QString::fromLatin1(kUsers[i].password)).get());
    }
    const store::Actor manager = staff[1].actor();
    const QDate today = QDate::currentDate();
    for (int t : {2, 3}) {
      for (const char* kind : {"dry-needling", "laser"}) {
        users.addCredential(manager, staff[t].id, QString::fromLatin1(kind),
                            QStringLiteral("CERT-%1-%2").arg(staff[t].login, QString::fromLatin1(kind)),
                            today.addYears(-1), today.addYears(1)).get();
      }
    }

    // Devices, power check, eyewear.
    const qint64 laser = clinic.registerDevice(store::Actor::system(),
                                               QVariantMap{{"kind", "laser"}, {"vendor", "Tautband"},
                                                           {"model", "Simulated therapy laser"}, {"serial", kDemoLaserSerial},
                                                           {"firmware_version", "sim-1.0"}, {"driver_name", "native"},
                                                           {"driver_version", "1.0.0"}, {"firmware_watchdog", true}},
                                               std::nullopt).get();
    const qint64 amplifier = clinic.registerDevice(store::Actor::system(),
                                                   QVariantMap{{"kind", "amplifier"}, {"vendor", "Tautband"},
                                                               {"model", "EMG simulator 8ch"}, {"serial", "SIM-E-0001"},
                                                               {"firmware_version", "1.0.0"}, {"driver_name", "native"},
                                                               {"driver_version", "1.0.0"}, {"isolated", true}},
                                                   std::nullopt).get();
    clinic.recordPowerCheck(staff[4].actor(), laser, 808, 200, 193, QStringLiteral("Thorlabs PM100D (demo)"),
                            store::utcNowUs() + 90LL * 86400 * 1'000'000).get();
    const qint64 eyewear = clinic.addEyewear(manager, QStringLiteral("Goggles A (OD 5+ 800-1000 nm)"),
                                             QStringLiteral("DemoOptics"), 800, 1000, 5, QStringLiteral("both")).get();
    writeDemoLaserProtocol(clinic, manager);
    // The manufacturer's required eyewear OD for the simulated laser (its "data sheet").
    clinic.setClinicSetting(manager, store::requiredOdSettingKey(QString::fromLatin1(kDemoLaserSerial)),
                            QJsonObject{{"808", 4}, {"905", 4}}).get();

    // Patients and their sessions; the last session is --minutes long.
    const std::size_t patientCount = std::size(kPatients);
    for (std::size_t pi = 0; pi < patientCount; ++pi) {
      const DemoPatient& dp = kPatients[pi];
      const store::UserRecord& therapistRecord = staff[2 + pi % 2];
      const store::Actor therapist = therapistRecord.actor();
      store::PatientDraft p;
      p.mrn = QString::fromLatin1(dp.mrn);
      p.familyName = QString::fromUtf8(dp.family);
      p.givenName = QString::fromUtf8(dp.given);
      p.birthDate = QDate::fromString(QString::fromLatin1(dp.birth), Qt::ISODate);
      p.heightCm = dp.heightCm;
      p.weightKg = dp.weightKg;
      const qint64 patient = clinic.createPatient(therapist, p).get();
      clinic.recordScreening(therapist, patient, demoScreeningAnswers(pi),
                             QString::fromLatin1(kDemoScreeningFormVersion)).get();
      clinic.recordConsent(therapist, patient, std::nullopt, QStringLiteral("dry-needling+laser+thoracic"),
                           QStringLiteral("consent-v1"), true, QStringLiteral("patient")).get();

      const qint64 session = clinic.startSession(therapist, patient).get();
      ++sessions;
      store::Actor system = store::Actor::system();
      (void)system;
      const bool latest = pi + 1 == patientCount;
      const std::int64_t lengthUs = (latest ? minutes : pick(15, 35)) * 60LL * 1'000'000;
      std::int64_t clock = 5'000'000;
      auto advance = [&](std::int64_t us) { clock = std::min(clock + us, lengthUs - 1'000'000); };
      auto safety = [&](const QString& action, const QString& rule, const QString& level, QJsonObject inputs) {
        inputs[QStringLiteral("rule")] = rule;
        inputs[QStringLiteral("level")] = level;
        store->audit().append({therapist.login, therapist.role, action, QStringLiteral("session:%1").arg(session),
                               inputs, clock}).get();
      };
      clinic.registerDevice(store::Actor::system(), QVariantMap{{"kind", "amplifier"}, {"vendor", "Tautband"},
                                                                {"model", "EMG simulator 8ch"}, {"serial", "SIM-E-0001"},
                                                                {"firmware_version", "1.0.0"}, {"driver_version", "1.0.0"}},
                            session).get();
      (void)amplifier;
      clinic.recordPain(therapist, session, std::nullopt, QStringLiteral("before"), pick(5, 8), clock).get();
      if (dp.anticoagulants) {
        safety(QStringLiteral("safety.acknowledged"), QStringLiteral("PF-ANTICOAGULANT"), QStringLiteral("ACK"),
               {{"reason", QStringLiteral("INR stable; smaller needles and longer compression")}});
      }
      const int siteCount = pick(2, 3);
      for (int si = 0; si < siteCount; ++si) {
        const DemoSite& ds = demoSites()[(pi + static_cast<std::size_t>(si)) % demoSites().size()];
        const Placed placed = place(ds);
        const qint64 site = clinic.addSite(therapist, session, placed.muscle, placed.side, placed.location,
                                           placed.zone, clock).get();
        advance(pick(30, 90) * 1'000'000LL);
        const bool lungField = placed.lungField;
        const bool liftable = placed.muscle == QLatin1String("upper_trapezius");
        if (lungField && si == 0) {
          // A refused request first: a 40 mm needle flat over the lung field.
          safety(QStringLiteral("safety.refused"), QStringLiteral("DN-LUNG-LENGTH"), QStringLiteral("REFUSE"),
                 {{"muscle", placed.muscle}, {"needle_mm", 40}, {"limit_mm", 25},
                  {"technique", QStringLiteral("flat")}});
        }
        if (lungField && dp.lungDisease) {
          const auto approval = users.approveAsSupervisor(
              therapist, QString::fromLatin1(kUsers[1].login), QString::fromLatin1(kUsers[1].password),
              QStringLiteral("DN-LUNG-DISEASE"), QStringLiteral("COPD, mild; pincer grip, 15 mm needle, ultrasound depth 21 mm"),
              QJsonObject{{"muscle", placed.muscle}, {"needle_mm", 15}}, clock).get();
          if (!approval.approved) throw std::runtime_error("demo supervisor approval failed");
        }
        safety(QStringLiteral("safety.allowed"), QString(), QStringLiteral("ALLOW"),
               {{"muscle", placed.muscle}, {"needle_mm", lungField ? 15 : 30}});
        const qint64 needle = clinic.needleIn(
            therapist, session,
            store::NeedleDraft{site, lungField ? 15.0 : 30.0, 0.25, QStringLiteral("LOT-%1").arg(240'000 + pick(0, 999)),
                               lungField && liftable ? QStringLiteral("pincer") : QStringLiteral("flat"),
                               lungField ? QStringLiteral("tangential") : QStringLiteral("perpendicular"),
                               lungField ? 10.0 : 18.0},
            clock).get();
        ++needles;
        const int twitches = pick(2, 6);
        for (int k = 0; k < twitches; ++k) {
          advance(pick(4, 20) * 1'000'000LL);
          const qint64 ltr = clinic.recordLtr(therapist, session, site, needle, clock, true, 80.0 + pick(0, 300),
                                              QStringLiteral("ltr-detector-1.0")).get();
          clinic.decideLtr(therapist, ltr, pick(0, 9) > 1, clock + 400'000).get();
          ++ltrs;
        }
        if (pick(0, 2) == 0) {
          clinic.recordLtr(therapist, session, site, needle, clock + 600'000, false, std::nullopt, QString()).get();
          ++ltrs;
        }
        advance(pick(20, 60) * 1'000'000LL);
        clinic.needleOut(therapist, needle, true, clock).get();
        // Laser on the same site: 808 nm CW inside the clinic protocol (100-200 mW, 2-6 J per
        // point: the protocol's 1-8 J band, so the recorded history is one the rules allow).
        store::LaserDose d;
        d.siteId = site;
        d.deviceId = laser;
        d.eyewearId = eyewear;
        d.wavelengthNm = 808;
        d.mode = QStringLiteral("cw");
        d.measuredPowerMw = 100 + pick(0, 100);
        d.timeS = std::round((2.0 + pick(0, 30) / 7.5) * 1000.0 / d.measuredPowerMw);
        d.beamAreaCm2 = 0.5;
        d.points = 1;
        d.technique = QStringLiteral("contact");
        d.treatmentNumber = 1;
        d.startedClockUs = clock;
        advance(static_cast<std::int64_t>(d.timeS * 1'000'000));
        d.endedClockUs = clock;
        d.stopReason = QStringLiteral("dose-reached");
        safety(QStringLiteral("safety.allowed"), QString(), QStringLiteral("ALLOW"),
               {{"eyewear_confirmed", true}, {"interlock_closed", true}, {"power_check_ok", true}});
        clinic.recordLaserDose(therapist, session, d).get();
        ++doses;
      }
      if (pi == 2) {
        clinic.recordAdverseEvent(therapist, patient, session, QStringLiteral("bruising"), QStringLiteral("mild"),
                                  QStringLiteral("Small bruise at the needling site."), clock).get();
      }
      clinic.recordPain(therapist, session, std::nullopt, QStringLiteral("after"), pick(1, 4), clock).get();
      clinic.addNote(therapist, session,
                     QStringLiteral("Treated %1 trigger point(s). Pneumothorax advice given; observed 15 min.")
                         .arg(siteCount)).get();
      clinic.endSession(therapist, session, lengthUs).get();
      clinic.signOff(therapist, session, QString::fromLatin1(kUsers[2 + pi % 2].password)).get();
    }

  return summary;
}

}  // namespace tautband::cli
