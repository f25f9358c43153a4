#pragma once

// A clinic written through the real store API, with strings chosen to break
// naive renderers: quotes, markup, right-to-left text, emoji, a very long note.

#include "store/Store.h"

#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>

#include <cmath>
#include <memory>
#include <random>

#include "emg/EmgRecording.h"

namespace tautband::report::testing {

inline const QString kHostileFamily = QStringLiteral("O'Brien \"<b>Bold</b>\" & Co");
inline const QString kRtl = QStringLiteral("שלום עולם");
inline const QString kEmoji = QStringLiteral("😀👍");
inline const QString kMarkup = QStringLiteral("<script>alert('x')</script> %1 {{clinic_name}} \\n ; DROP TABLE");

inline QString longNote() {
  QString s = QStringLiteral("NOTE-START ");
  for (int i = 0; i < 700; ++i) s += QStringLiteral("word%1 ").arg(i);
  s += QStringLiteral("Averyveryverylongwordwithoutanyspacesthatmustwrapanywhere") + QString(300, QLatin1Char('X'));
  s += QStringLiteral(" NOTE-END");
  return s;
}

struct Clinic {
  std::unique_ptr<QTemporaryDir> dir = std::make_unique<QTemporaryDir>();
  std::unique_ptr<store::Store> store;
  store::Actor therapist, manager;
  qint64 session = 0, plainSession = 0;
  std::int64_t lengthUs = 12 * 60 * 1'000'000LL;
  QString dbPath() const { return dir->filePath(QStringLiteral("clinic.db")); }
};

// Builds the clinic: one hostile, thoracic session (signed, with an addendum)
// and one plain session without thoracic needling.
inline std::unique_ptr<Clinic> buildClinic() {
  auto c = std::make_unique<Clinic>();
  store::StoreSettings settings = store::StoreSettings::fromLocation(c->dbPath(), c->dir->path().toStdString());
  c->store = store::Store::open(settings, store::PasswordPolicy::minimumForTests());
  auto& users = c->store->users();
  auto& clinic = c->store->clinical();
  const auto admin = users.createFirstAdmin(QStringLiteral("admin"), QStringLiteral("Admin"), QStringLiteral("admin-pass-1")).get();
  const auto manager = users.createUser(admin.actor(), QStringLiteral("manager"), QStringLiteral("Morgan Reyes"),
                                        store::Role::Manager, QStringLiteral("manager-pass-1")).get();
  const auto therapist = users.createUser(manager.actor(), QStringLiteral("therapist"), QStringLiteral("Alex Novak ") + kRtl,
                                          store::Role::Therapist, QStringLiteral("therapist-pass-1")).get();
  c->therapist = therapist.actor();
  c->manager = manager.actor();
  for (const char* kind : {"dry-needling", "laser", "e-stim"}) {
    users.addCredential(c->manager, therapist.id, QString::fromLatin1(kind), QStringLiteral("CERT"),
                        QDate::currentDate().addYears(-1), QDate::currentDate().addYears(1)).get();
  }
  clinic.setClinicSetting(c->manager, QStringLiteral("clinic.name"), QStringLiteral("Riverside Physio ") + kEmoji).get();
  clinic.setClinicSetting(c->manager, QStringLiteral("clinic.phone"), QStringLiteral("+1 555 0100")).get();
  const qint64 laser = clinic.registerDevice(store::Actor::system(),
                                             QVariantMap{{"kind", "laser"}, {"vendor", "Tautband"}, {"model", "LLLT sim"},
                                                         {"serial", "L-1"}, {"firmware_version", "1.0"}, {"driver_name", "native"}, {"driver_version", "1.0"},
                                                         {"firmware_watchdog", true}},
                                             std::nullopt).get();
  const qint64 eyewear = clinic.addEyewear(c->manager, QStringLiteral("Goggles \"A\""), QStringLiteral("Optics"), 800, 1000, 5,
                                           QStringLiteral("both")).get();

  store::PatientDraft p;
  p.mrn = QStringLiteral("MRN-<1>");
  p.familyName = kHostileFamily;
  p.givenName = kRtl + QStringLiteral(" ") + kEmoji;
  p.birthDate = QDate(1980, 2, 29);
  p.sex = QStringLiteral("female");
  p.heightCm = 170;
  p.weightKg = 65;
  const qint64 patient = clinic.createPatient(c->therapist, p).get();
  clinic.recordScreening(c->therapist, patient, QJsonObject{{"pacemaker", false}, {"anticoagulants", true}},
                         QStringLiteral("screening-v1")).get();
  clinic.recordConsent(c->therapist, patient, std::nullopt, QStringLiteral("thoracic-needling"), QStringLiteral("consent-v1"),
                       true, QStringLiteral("patient")).get();

  const qint64 s = clinic.startSession(c->therapist, patient).get();
  c->session = s;
  auto audit = [&](const QString& action, const QString& rule, QJsonObject details, std::int64_t clock) {
    details[QStringLiteral("rule")] = rule;
    c->store->audit().append({c->therapist.login, c->therapist.role, action, QStringLiteral("session:%1").arg(s), details, clock}).get();
  };
  clinic.recordPain(c->therapist, s, std::nullopt, QStringLiteral("before"), 7, 1'000'000).get();
  const qint64 trap = clinic.addSite(c->therapist, s, QStringLiteral("upper-trapezius"), QStringLiteral("left"),
                                     QJsonObject{{"x", 0.41}, {"y", 0.19}}, QStringLiteral("lung-field"), 2'000'000).get();
  const qint64 levator = clinic.addSite(c->therapist, s, QStringLiteral("levator-scapulae"), QStringLiteral("right"),
                                        QJsonObject{}, QString(), 3'000'000).get();
  audit(QStringLiteral("safety.refused"), QStringLiteral("LUNG-LEN-1"), {{"needle_mm", 40}, {"limit_mm", 25}}, 4'000'000);
  audit(QStringLiteral("safety.acknowledged"), QStringLiteral("PATIENT-ANTICOAG-1"), {{"reason", QStringLiteral("INR stable ") + kMarkup}}, 4'500'000);
  const auto approval = users.approveAsSupervisor(c->therapist, QStringLiteral("manager"), QStringLiteral("manager-pass-1"),
                                                  QStringLiteral("LUNG-DISEASE-SUP-1"), QStringLiteral("Ultrasound depth 21 mm"),
                                                  QJsonObject{}, 4'800'000).get();
  if (!approval.approved) qFatal("fixture: approval failed");
  const qint64 n1 = clinic.needleIn(c->therapist, s, store::NeedleDraft{trap, 15, 0.25, QStringLiteral("LOT-1"), QStringLiteral("pincer"),
                                                                      QStringLiteral("away-from-thorax"), 10.0}, 5'000'000).get();
  const qint64 n2 = clinic.needleIn(c->therapist, s, store::NeedleDraft{levator, 30, 0.30, QStringLiteral("LOT-2"), QStringLiteral("perpendicular"),
                                                                      QStringLiteral("medial"), std::nullopt}, 5'500'000).get();
  // LTRs at 10, 20, 30, 40 s (the synthetic EMG below has bursts there).
  for (int k = 1; k <= 4; ++k) {
    const qint64 id = clinic.recordLtr(c->therapist, s, trap, n1, k * 10'000'000LL, true, 200.0 + k, QStringLiteral("det-1")).get();
    clinic.decideLtr(c->therapist, id, k != 3, k * 10'000'000LL + 300'000).get();
  }
  clinic.recordLtr(c->therapist, s, levator, n2, 45'000'000, false, std::nullopt, QString()).get();
  clinic.recordEStim(c->therapist, s, store::EStimDraft{n1, n2, QStringLiteral("biphasic"), 2, 200, 1.5, 0.8, 30, 50'000'000}).get();
  clinic.needleOut(c->therapist, n1, true, 60'000'000).get();
  clinic.needleOut(c->therapist, n2, true, 61'000'000).get();
  store::LaserDose d;
  d.siteId = trap;
  d.deviceId = laser;
  d.eyewearId = eyewear;
  d.wavelengthNm = 905;
  d.mode = QStringLiteral("pulsed");
  d.pulseFrequencyHz = 5000;
  d.dutyCycle = 0.1;
  d.measuredPowerMw = 120;
  d.timeS = 30;
  d.beamAreaCm2 = 0.5;
  d.technique = QStringLiteral("contact");
  d.startedClockUs = 70'000'000;
  d.endedClockUs = 100'000'000;
  d.stopReason = QStringLiteral("dose-reached");
  clinic.recordLaserDose(c->therapist, s, d).get();
  clinic.recordAdverseEvent(c->therapist, patient, s, QStringLiteral("bruising"), QStringLiteral("mild"),
                            QStringLiteral("Bruise ") + kMarkup, 110'000'000).get();
  clinic.recordPain(c->therapist, s, std::nullopt, QStringLiteral("after"), 3, 120'000'000).get();
  clinic.addNote(c->therapist, s, longNote()).get();
  clinic.endSession(c->therapist, s, c->lengthUs).get();
  clinic.signOff(c->therapist, s, QStringLiteral("therapist-pass-1")).get();
  clinic.addAddendum(c->therapist, s, QStringLiteral("Typo ") + kRtl, QStringLiteral("Addendum body ") + kEmoji).get();

  // A plain session: infraspinatus only, laser only, no thorax.
  const qint64 s2 = clinic.startSession(c->therapist, patient).get();
  c->plainSession = s2;
  const qint64 infra = clinic.addSite(c->therapist, s2, QStringLiteral("gastrocnemius_soleus"), QStringLiteral("right"),
                                      QJsonObject{}, QString(), 1'000'000).get();
  d.siteId = infra;
  clinic.recordLaserDose(c->therapist, s2, d).get();
  clinic.endSession(c->therapist, s2, 200'000'000).get();
  return c;
}

// 2 channels at 1 kHz for 60 s from session clock 5 s: noise plus 60 ms bursts at the LTR times.
inline emg::EmgRecording syntheticEmg() {
  emg::EmgRecording r;
  r.sampleRateHz = 1000;
  r.channels = 2;
  r.channelNames = {"trap L", "levator R"};
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0.f, 8.f);
  const std::size_t frames = 60'000;
  r.samplesUv.resize(frames * 2);
  for (std::size_t f = 0; f < frames; ++f) {
    const double t = 5.0 + static_cast<double>(f) / 1000.0;
    float burst = 0;
    for (int k = 1; k <= 4; ++k) {
      const double dt = t - k * 10.0;
      if (dt >= 0 && dt < 0.06) burst = static_cast<float>(400.0 * std::sin(2 * M_PI * 80 * dt));
    }
    r.samplesUv[f * 2] = noise(rng) + burst;
    r.samplesUv[f * 2 + 1] = noise(rng) * 0.5f - 3.25f;
  }
  return r;
}

struct Run {
  int code = -1;
  QString out, err;
};
inline Run run(const QString& program, const QStringList& args, const QString& cwd = {}) {
  QProcess p;
  if (!cwd.isEmpty()) p.setWorkingDirectory(cwd);
  p.start(program, args);
  if (!p.waitForFinished(120'000)) p.kill();
  return Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
             QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace tautband::report::testing
