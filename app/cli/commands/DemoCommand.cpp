#include "cli/commands/DemoCommand.h"

#include "cli/commands/AuditCommandSupport.h"

#include <QJsonArray>

#include <random>

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

struct DemoSite {
  const char* muscle;
  const char* side;
  const char* zone;
  double x, y;
};

constexpr DemoSite kSites[] = {
    {"upper-trapezius", "left", "lung-field", 0.41, 0.19},
    {"upper-trapezius", "right", "lung-field", 0.59, 0.19},
    {"levator-scapulae", "right", "", 0.57, 0.15},
    {"rhomboid-major", "left", "lung-field", 0.45, 0.30},
    {"infraspinatus", "left", "scapular-foramina", 0.40, 0.33},
};

}  // namespace

CommandSpec DemoCommand::spec() const {
  return CommandSpec{
      .path = {QStringLiteral("demo")},
      .summary = QStringLiteral("Build a demo clinic (users, patients, sessions) and print the demo logins."),
      .description = QStringLiteral(
          "Writes through the same store API the console uses: users and credentials, devices, a power check, "
          "eyewear, patients with screening and consent, and several signed sessions with needles, twitch "
          "responses, laser doses, refusals, acknowledgements and a supervisor approval. Needs a database without "
          "users. --minutes sets the latest session's length (default 20)."),
      .options = {storeopts::db(),
                  QCommandLineOption(QStringLiteral("minutes"), QStringLiteral("Length of the latest session."),
                                     QStringLiteral("N"), QStringLiteral("20")),
                  QCommandLineOption(QStringLiteral("seed"), QStringLiteral("Random seed."), QStringLiteral("S"),
                                     QStringLiteral("1"))},
      .positionals = {},
  };
}

int DemoCommand::run(const QCommandLineParser& args, CommandContext& context) {
  bool ok = false;
  const int minutes = args.value(QStringLiteral("minutes")).toInt(&ok);
  if (!ok || minutes < 1 || minutes > 240) throw CommandError(kExitUsage, QStringLiteral("--minutes must be 1..240"));
  const uint seed = args.value(QStringLiteral("seed")).toUInt(&ok);
  if (!ok) throw CommandError(kExitUsage, QStringLiteral("--seed must be a non-negative integer"));
  std::mt19937 rng(seed);
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };

  auto store = openStore(storeSettingsFrom(args, context));
  if (store->users().hasAnyUser().get()) {
    throw CommandError(kExitUsage, QStringLiteral("the database already has users; demo needs a new database"));
  }
  auto& users = store->users();
  auto& clinic = store->clinical();
  try {
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
                                                           {"model", "LLLT simulator 808/905"}, {"serial", "SIM-L-0001"},
                                                           {"firmware_version", "1.0.0"}, {"driver_name", "native"},
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
    clinic.setClinicSetting(manager, QStringLiteral("laser.protocol.max_power_mw"), 300).get();

    // Patients and their sessions; the last session is --minutes long.
    int sessions = 0, needles = 0, ltrs = 0, doses = 0;
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
      clinic.recordScreening(therapist, patient,
                             QJsonObject{{"pregnancy", false}, {"pacemaker", false}, {"anticoagulants", dp.anticoagulants},
                                         {"lung_disease", dp.lungDisease}, {"epilepsy", false},
                                         {"photosensitising_medication", false}},
                             QStringLiteral("screening-v1")).get();
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
        safety(QStringLiteral("safety.acknowledged"), QStringLiteral("PATIENT-ANTICOAG-1"), QStringLiteral("ACK"),
               {{"reason", QStringLiteral("INR stable; smaller needles and longer compression")}});
      }
      const int siteCount = pick(2, 3);
      for (int si = 0; si < siteCount; ++si) {
        const DemoSite& ds = kSites[(pi + static_cast<std::size_t>(si)) % std::size(kSites)];
        const qint64 site = clinic.addSite(therapist, session, QString::fromLatin1(ds.muscle),
                                           QString::fromLatin1(ds.side), QJsonObject{{"x", ds.x}, {"y", ds.y}},
                                           QString::fromLatin1(ds.zone), clock).get();
        advance(pick(30, 90) * 1'000'000LL);
        const bool lungField = QLatin1String(ds.zone) == QLatin1String("lung-field");
        if (lungField && si == 0) {
          // A refused request first: a 40 mm needle flat over the lung field.
          safety(QStringLiteral("safety.refused"), QStringLiteral("LUNG-LEN-1"), QStringLiteral("REFUSE"),
                 {{"muscle", QString::fromLatin1(ds.muscle)}, {"needle_mm", 40}, {"limit_mm", 25},
                  {"technique", QStringLiteral("flat")}});
        }
        if (lungField && dp.lungDisease) {
          const auto approval = users.approveAsSupervisor(
              therapist, QString::fromLatin1(kUsers[1].login), QString::fromLatin1(kUsers[1].password),
              QStringLiteral("LUNG-DISEASE-SUP-1"), QStringLiteral("COPD, mild; pincer grip, 15 mm needle, ultrasound depth 21 mm"),
              QJsonObject{{"muscle", QString::fromLatin1(ds.muscle)}, {"needle_mm", 15}}, clock).get();
          if (!approval.approved) throw std::runtime_error("demo supervisor approval failed");
        }
        safety(QStringLiteral("safety.allowed"), QStringLiteral("LUNG-LEN-1"), QStringLiteral("LIMIT"),
               {{"muscle", QString::fromLatin1(ds.muscle)}, {"needle_mm", lungField ? 15 : 30}});
        const qint64 needle = clinic.needleIn(
            therapist, session,
            store::NeedleDraft{site, lungField ? 15.0 : 30.0, 0.25, QStringLiteral("LOT-%1").arg(240'000 + pick(0, 999)),
                               lungField ? QStringLiteral("pincer") : QStringLiteral("perpendicular"),
                               QStringLiteral("away-from-thorax"), lungField ? 10.0 : 18.0},
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
        // Laser on the same site: 808 nm CW inside the clinic protocol.
        store::LaserDose d;
        d.siteId = site;
        d.deviceId = laser;
        d.eyewearId = eyewear;
        d.wavelengthNm = 808;
        d.mode = QStringLiteral("cw");
        d.measuredPowerMw = 100 + pick(0, 100);
        d.timeS = 30 + pick(0, 30);
        d.beamAreaCm2 = 0.5;
        d.points = 1;
        d.technique = QStringLiteral("contact");
        d.treatmentNumber = 1;
        d.startedClockUs = clock;
        advance(static_cast<std::int64_t>(d.timeS * 1'000'000));
        d.endedClockUs = clock;
        d.stopReason = QStringLiteral("dose-reached");
        safety(QStringLiteral("safety.allowed"), QStringLiteral("LASER-ARM-1"), QStringLiteral("LIMIT"),
               {{"eyewear_confirmed", true}, {"interlock_closed", true}, {"power_check_ok", true}});
        clinic.recordLaserDose(therapist, session, d).get();
        ++doses;
      }
      if (pi == 2) {
        clinic.recordAdverseEvent(therapist, patient, session, QStringLiteral("bruising"), QStringLiteral("mild"),
                                  QStringLiteral("Small bruise at the upper trapezius site."), clock).get();
      }
      clinic.recordPain(therapist, session, std::nullopt, QStringLiteral("after"), pick(1, 4), clock).get();
      clinic.addNote(therapist, session,
                     QStringLiteral("Treated %1 trigger point(s). Pneumothorax advice given; observed 15 min.")
                         .arg(siteCount)).get();
      clinic.endSession(therapist, session, lengthUs).get();
      clinic.signOff(therapist, session).get();
    }

    QJsonArray logins;
    QString text = QStringLiteral("Demo clinic written to %1: %2 sessions, %3 needles, %4 twitch responses, %5 laser "
                                  "doses.\n\nDemo logins (demo only):\n")
                       .arg(store->settings().describe())
                       .arg(sessions).arg(needles).arg(ltrs).arg(doses);
    for (const DemoUser& u : kUsers) {
      logins.append(QJsonObject{{"login", QString::fromLatin1(u.login)}, {"password", QString::fromLatin1(u.password)},
                                {"role", store::roleName(u.role)}});
      text += QStringLiteral("  %1  %2  (%3)\n")
                  .arg(QString::fromLatin1(u.login), -11)
                  .arg(QString::fromLatin1(u.password), -22)
                  .arg(store::roleName(u.role));
    }
    context.print(QJsonObject{{"db", store->settings().describe()}, {"sessions", sessions}, {"needles", needles},
                              {"ltrs", ltrs}, {"laser_doses", doses}, {"logins", logins}},
                  text);
  } catch (const std::exception& e) {
    throw CommandError(kExitUsage, QStringLiteral("demo failed: %1").arg(QString::fromStdString(e.what())));
  }
  return kExitOk;
}

}  // namespace tautband::cli
