// End to end: a demo therapist logs in, opens a session for a demo patient, and the laser
// page's checklist holds on practitioner, patient, site and power check, all read from the
// store; arming succeeds against `tautband-sim laser` over a pty up to a delivered dose.
// An expired laser credential or an unscreened patient takes away its item with a message a
// therapist reads at a glance; log-out disarms. Needling: right lung-field needling today in
// the store makes left lung-field needling REFUSE (DN-LUNG-BILATERAL-24H).
#include "NeedlingTestSupport.h"
#include "SimProcess.h"
#include "cli/commands/DemoClinic.h"
#include "core/SessionClock.h"
#include "devices/native/NativeSerialLink.h"
#include "safety/AuditedSafety.h"
#include "safety/ClinicSettings.h"
#include "safety/Evaluator.h"
#include "store/Store.h"
#include "ui/AuthModel.h"
#include "ui/ClinicalContext.h"
#include "ui/LaserController.h"
#include "ui/NeedlingModel.h"
#include "ui/SessionModel.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace tautband;

namespace {

constexpr int kWait = 15000;

QString demoPassword(const QString& login) {
  for (const auto& u : cli::demoLogins())
    if (u.login == login) return u.password;
  return {};
}

// A demo clinic on a fresh SQLite store, the screens' models on it, the clinical context, and
// the laser and needling view models it feeds. The laser is the simulator over a pty.
struct Clinic {
  QTemporaryDir dir;
  std::unique_ptr<store::Store> store;
  ui::AuthModel auth;
  ui::SessionModel session{auth};
  testsupport::NullSafetyAudit audit;
  safety::Evaluator evaluator{anatomy::Atlas::builtin(), safety::RuleTable::builtin(), safety::defaultClinicSettings()};
  safety::AuditedSafety audited{evaluator, audit};
  std::unique_ptr<supervisor::LaserSupervisor> supervisor;
  std::unique_ptr<ui::LaserController> laser;
  testsupport::NullNeedlingRecord record;
  core::SessionClock clock;
  std::unique_ptr<ui::NeedlingModel> needling;
  std::unique_ptr<ui::ClinicalContext> context;
  std::unique_ptr<SimProcess> sim;
  std::unique_ptr<devices::DeviceLink> link;
  QTimer heartbeat;

  Clinic() {
    const std::filesystem::path path = dir.path().toStdString();
    store = store::Store::open(store::StoreSettings::fromLocation(
                                   QString::fromStdString(store::StoreSettings::defaultSqlitePath(path).string()), path),
                               store::PasswordPolicy::minimumForTests());
    cli::buildDemoClinic(*store, 5, 7);
    session.attach(*store);
    auth.attach(*store);
    supervisor::LaserSupervisor::Options options;
    options.warningDelay = std::chrono::milliseconds(200);
    options.statusTimeout = std::chrono::milliseconds(1000);  // behaviour under test, not a loaded CI's timing
    supervisor = std::make_unique<supervisor::LaserSupervisor>(options, nullptr);
    laser = std::make_unique<ui::LaserController>(*supervisor, audited, anatomy::Atlas::builtin());
    needling = std::make_unique<ui::NeedlingModel>(audited, evaluator, clock, record, nullptr, nullptr,
                                                   [] { return ui::AmplifierInfo{}; });
    context = std::make_unique<ui::ClinicalContext>(auth, session, evaluator);
    context->bindLaser(*laser);
    context->bindNeedling(*needling);
    heartbeat.setInterval(100);
    QObject::connect(&heartbeat, &QTimer::timeout, [this] { supervisor->guiHeartbeat(); });
    heartbeat.start();
  }
  ~Clinic() {
    heartbeat.stop();
    if (link) supervisor->detachLinkNow();
    context.reset();
    laser.reset();
    supervisor.reset();
    link.reset();
    sim.reset();
  }

  bool connectLaser() {
    sim = std::make_unique<SimProcess>(QStringList{QStringLiteral("laser")});
    if (sim->path().isEmpty()) return false;
    link = devices::makeNativeSerialLink(QStringLiteral("laser"), sim->path(), 115200);
    QObject::connect(link.get(), &devices::DeviceLink::identified, laser.get(), [this](const device::v1::DeviceInfo& info) {
      supervisor->attachLink(link.get());
      laser->setDeviceInfo(info);
    });
    link->open();
    return true;
  }

  bool logIn(const QString& login, const QString& password) {
    auth.logIn(login, password);
    QElapsedTimer waited;
    waited.start();
    while (!auth.loggedIn() && auth.message().isEmpty() && waited.elapsed() < kWait) QTest::qWait(20);
    return auth.loggedIn();
  }

  qint64 patientId(const QString& mrn) {
    return store->writer().run([mrn](store::WriteTransaction& tx) {
      QSqlQuery q = tx.exec(QStringLiteral("SELECT id FROM patients WHERE mrn = ?"), {mrn});
      return q.next() ? q.value(0).toLongLong() : qint64(0);
    });
  }

  void settle() {
    // Every store read the context started has come back.
    QTRY_VERIFY_WITH_TIMEOUT(!context->busy(), kWait);
    laser->evaluateNow();
  }

  QVariantMap item(const QString& key) const {
    for (const auto& v : laser->checklist())
      if (v.toMap().value("key").toString() == key) return v.toMap();
    return {};
  }
};

}  // namespace

class TestClinicalContext : public QObject {
  Q_OBJECT
 private slots:
  void demoTherapistArmsToADeliveredDose() {
    Clinic c;
    QTRY_COMPARE_WITH_TIMEOUT(c.auth.stage(), ui::AuthModel::Stage::LoggedOut, kWait);
    QVERIFY(c.connectLaser());
    QVERIFY(c.logIn("therapist", demoPassword("therapist")));
    c.session.start(c.patientId("D-0001"), QStringLiteral("Lindqvist, Maja"));
    QTRY_VERIFY_WITH_TIMEOUT(c.session.active(), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(c.laser->deviceInfo().has_value(), kWait);
    c.settle();
    QTRY_VERIFY_WITH_TIMEOUT(c.context->powerCheckText().contains("within ±20 %"), kWait);
    QVERIFY(c.context->patientText().contains("Lindqvist"));
    QVERIFY(c.context->practitionerText().contains("laser expires"));

    // Nothing chosen yet: the site item says what to do.
    c.settle();
    QTRY_VERIFY_WITH_TIMEOUT(!c.item("site_allowed").value("holds").toBool(), kWait);
    QVERIFY(c.item("site_allowed").value("detail").toString().contains("body map"));

    // A tap on the right upper trapezius (back view); 1 J at 50 mW: the smallest dose inside
    // the clinic protocol (1-8 J) and WALT's time range (>= 20 s).
    c.laser->selectPoint("back", 0.60, 0.165);
    QCOMPARE(c.laser->siteId(), QStringLiteral("upper_trapezius_right"));
    c.laser->setPowerMw(50);
    c.laser->setTargetEnergyJ(1.0);
    c.laser->setEyewearConfirmed(true);
    c.laser->setControlledAreaConfirmed(true);
    c.settle();
    for (const char* key : {"practitioner_credentialed", "patient_screened", "site_allowed", "power_check_current",
                            "eyewear_confirmed"})
      QTRY_VERIFY2_WITH_TIMEOUT(c.item(key).value("holds").toBool(),
                                qPrintable(QStringLiteral("%1: %2").arg(key, c.item(key).value("detail").toString())), kWait);
    QCOMPARE(c.laser->eyewearOd(), 5.0);  // the clinic's recorded goggles (OD 5 ≥ 4 required)

    c.laser->beginChecklist();
    QTRY_COMPARE_WITH_TIMEOUT(c.laser->state(), QStringLiteral("checklist"), kWait);
    const auto failing = [&] {
      QStringList out;
      for (const auto& v : c.laser->checklist())
        if (!v.toMap().value("holds").toBool())
          out << v.toMap().value("key").toString() + ": " + v.toMap().value("detail").toString();
      return out.join("; ");
    };
    QTRY_VERIFY2_WITH_TIMEOUT(c.laser->allItemsHold(), qPrintable(failing()), kWait);
    c.laser->arm();
    QTRY_COMPARE_WITH_TIMEOUT(c.laser->state(), QStringLiteral("armed"), kWait);
    c.laser->startEmission();
    QTRY_COMPARE_WITH_TIMEOUT(c.laser->state(), QStringLiteral("emitting"), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(c.laser->state() != QStringLiteral("emitting"), 40000);
    QVERIFY2(c.laser->state() == QStringLiteral("done"),
             qPrintable(c.laser->state() + ": " + c.laser->faultText() + " / " + c.laser->message()));
    QVERIFY2(c.laser->deliveredJ() >= 0.95, qPrintable(QString::number(c.laser->deliveredJ())));

    // A new dose, armed; then the therapist logs out: the laser disarms and the people go.
    c.laser->beginChecklist();
    c.laser->setEyewearConfirmed(true);
    c.laser->setControlledAreaConfirmed(true);
    c.settle();
    QTRY_VERIFY_WITH_TIMEOUT(c.laser->allItemsHold(), kWait);
    c.laser->arm();
    QTRY_COMPARE_WITH_TIMEOUT(c.laser->state(), QStringLiteral("armed"), kWait);
    c.auth.logOut();
    QTRY_COMPARE_WITH_TIMEOUT(c.laser->state(), QStringLiteral("disarmed"), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!c.item("practitioner_credentialed").value("holds").toBool(), kWait);
    QVERIFY(c.item("practitioner_credentialed").value("detail").toString().contains("nobody is logged in"));
    QVERIFY(!c.context->inputs().patient);
  }

  void expiredLaserCredentialAndUnscreenedPatientAreNamed() {
    Clinic c;
    QTRY_COMPARE_WITH_TIMEOUT(c.auth.stage(), ui::AuthModel::Stage::LoggedOut, kWait);
    // A therapist whose laser certificate ran out yesterday, and a new patient nobody screened.
    const auto manager = c.store->writer().run([](store::WriteTransaction& tx) {
      QSqlQuery q = tx.exec(QStringLiteral("SELECT id FROM users WHERE login = 'manager'"));
      q.next();
      return store::Actor{q.value(0).toLongLong(), QStringLiteral("manager"), QStringLiteral("manager")};
    });
    const auto lapsed = c.store->users().createUser(manager, "lapsed", "Lee Lapsed (PT)", store::Role::Therapist,
                                                    "lapsed-pass-2026").get();
    const QDate today = QDate::currentDate();
    c.store->users().addCredential(manager, lapsed.id, "laser", "CERT-OLD", today.addYears(-2), today.addDays(-1)).get();
    c.store->users().addCredential(manager, lapsed.id, "dry-needling", "CERT-DN", today.addYears(-1), today.addYears(1)).get();
    store::PatientDraft draft;
    draft.mrn = "N-0001";
    draft.familyName = "Newcomer";
    draft.givenName = "Nia";
    const qint64 patient = c.store->clinical().createPatient(lapsed.actor(), draft).get();

    QVERIFY(c.logIn("lapsed", "lapsed-pass-2026"));
    c.session.start(patient, QStringLiteral("Newcomer, Nia"));
    QTRY_VERIFY_WITH_TIMEOUT(c.session.active(), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(c.context->inputs().patient.has_value(), kWait);
    c.laser->selectPoint("back", 0.60, 0.165);
    c.settle();

    const QString credential = c.item("practitioner_credentialed").value("detail").toString();
    QTRY_VERIFY_WITH_TIMEOUT(!c.item("practitioner_credentialed").value("holds").toBool(), kWait);
    QVERIFY2(credential.contains("PR-CREDENTIAL-LASER") && credential.contains("expired " + today.addDays(-1).toString(Qt::ISODate))
                 && credential.contains("No current laser credential"),
             qPrintable(credential));
    const QString screened = c.item("patient_screened").value("detail").toString();
    QVERIFY(!c.item("patient_screened").value("holds").toBool());
    QVERIFY2(screened.contains("PF-NOT-SCREENED"), qPrintable(screened));
    QVERIFY(c.context->notes().join(" ").contains("no contraindication screen recorded"));
    QVERIFY(c.context->notes().join(" ").contains("no treatment consent recorded"));
    // The same facts reach the needling page: its credential is valid, the screen is not.
    QTRY_VERIFY_WITH_TIMEOUT(c.needling->caseNotice().contains("no contraindication screen"), kWait);
  }

  void rightLungFieldTodayRefusesTheLeft() {
    Clinic c;
    QTRY_COMPARE_WITH_TIMEOUT(c.auth.stage(), ui::AuthModel::Stage::LoggedOut, kWait);
    QVERIFY(c.logIn("therapist", demoPassword("therapist")));
    // A screened, consented patient with no needling yet.
    const auto therapist = *c.auth.actor();
    store::PatientDraft draft;
    draft.mrn = "N-0002";
    draft.familyName = "Bilateral";
    draft.givenName = "Bo";
    draft.birthDate = QDate(1980, 5, 1);
    draft.heightCm = 175;
    draft.weightKg = 70;
    const qint64 patient = c.store->clinical().createPatient(therapist, draft).get();
    c.store->clinical().recordScreening(therapist, patient, cli::demoScreeningAnswers(0),
                                        cli::kDemoScreeningFormVersion).get();
    c.store->clinical().recordConsent(therapist, patient, std::nullopt, "dry-needling+thoracic", "consent-1", true,
                                      "patient").get();
    c.session.start(patient, QStringLiteral("Bilateral, Bo"));
    QTRY_VERIFY_WITH_TIMEOUT(c.session.active(), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(c.context->inputs().patient.has_value(), kWait);
    c.settle();
    c.needling->selectRegion("rhomboids_left");
    c.needling->setNeedleLengthMm(15);
    c.needling->setNeedleLot("LOT-7");
    c.needling->evaluate();
    const auto firedIds = [&] {
      QStringList ids;
      for (const auto& f : c.needling->decision().value("fired").toList()) ids << f.toMap().value("ruleId").toString();
      return ids;
    };
    QVERIFY2(c.needling->decision().value("mayProceed").toBool(), qPrintable(firedIds().join(",")));

    // Earlier today, in the store: a needle over the right posterior lung field.
    const qint64 site = c.store->clinical().addSite(therapist, c.session.sessionId(), "rhomboids", "right",
                                                    QJsonObject{{"view", "back"}, {"x", 0.539}, {"y", 0.242}},
                                                    "lung_field_posterior_right", 1'000'000).get();
    const qint64 needle = c.store->clinical().needleIn(therapist, c.session.sessionId(),
                                                       store::NeedleDraft{site, 15, 0.25, "LOT-7", "flat", "perpendicular", {}},
                                                       2'000'000).get();
    c.store->clinical().needleOut(therapist, needle, true, 3'000'000).get();
    c.context->reload();
    c.settle();
    QTRY_VERIFY_WITH_TIMEOUT(!c.context->inputs().patient->lungFieldInsertions.empty(), kWait);
    c.needling->evaluate();
    QTRY_VERIFY2_WITH_TIMEOUT(firedIds().contains("DN-LUNG-BILATERAL-24H"), qPrintable(firedIds().join(",")), kWait);
    QCOMPARE(c.needling->decision().value("level").toString(), QStringLiteral("REFUSE"));
    QVERIFY(!c.needling->insertNeedle());
    // The same side again is not the second side.
    c.needling->selectRegion("rhomboids_right");
    c.needling->evaluate();
    QVERIFY(!firedIds().contains("DN-LUNG-BILATERAL-24H"));
  }
};

QTEST_MAIN(TestClinicalContext)
#include "test_clinical_context.moc"
