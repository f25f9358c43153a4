// The login, patient, session, audit and user-admin view models against a
// real SQLite store in a temporary directory: every answer arrives through
// the GUI-thread callbacks the console uses (the test never calls .get() on
// a view model's behalf).
#include "cli/commands/DemoClinic.h"
#include "store/Store.h"
#include "ui/AuditModel.h"
#include "ui/AuthModel.h"
#include "ui/PatientModel.h"
#include "ui/SessionModel.h"
#include "ui/UserAdminModel.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace tautband;

namespace {

constexpr int kWait = 15000;

store::StoreSettings settingsIn(const QTemporaryDir& dir) {
  return store::StoreSettings::fromLocation(dir.filePath(QStringLiteral("tautband.db")),
                                            std::filesystem::path(dir.path().toStdString()));
}

// admin, manager, therapist, second therapist, vendor; created through the store directly.
void seedStaff(store::Store& s) {
  auto admin = s.users().createFirstAdmin("admin", "Ada Admin", "admin-pass-1").get();
  auto manager = s.users().createUser(admin.actor(), "manager", "Morgan Manager", store::Role::Manager,
                                      "manager-pass-1").get();
  s.users().createUser(manager.actor(), "therapist", "Theo Therapist", store::Role::Therapist, "therapist-pass-1").get();
  s.users().createUser(manager.actor(), "lockme", "Lou Lockout", store::Role::Therapist, "lockme-pass-1").get();
  s.users().createUser(manager.actor(), "vendor", "Vic Vendor", store::Role::VendorService, "vendor-pass-1").get();
}

// One console: the store and the view models, wired like StoreServices does.
struct Console {
  // withStaff: the users exist before the console starts (as after a first run).
  explicit Console(const store::StoreSettings& settings, bool withStaff = true)
      : store(store::Store::open(settings, store::PasswordPolicy::minimumForTests())) {
    if (withStaff) seedStaff(*store);
    session.attach(*store);
    patients.attach(*store);
    audit.attach(*store);
    users.attach(*store);
    auth.attach(*store);
  }
  std::unique_ptr<store::Store> store;
  ui::AuthModel auth;
  ui::SessionModel session{auth};
  ui::PatientModel patients{auth};
  ui::AuditModel audit{auth};
  ui::UserAdminModel users{auth};

  bool logIn(const QString& login, const QString& password) {
    auth.logIn(login, password);
    return QTest::qWaitFor([&] { return !auth.busy(); }, kWait) && auth.loggedIn() && auth.login() == login;
  }
};

}  // namespace

class TestScreensModels : public QObject {
  Q_OBJECT

 private slots:
  void setupCreatesTheFirstAdministrator() {
    QTemporaryDir dir;
    Console c(settingsIn(dir), false);
    QTRY_COMPARE_WITH_TIMEOUT(c.auth.stage(), ui::AuthModel::Stage::NeedsSetup, kWait);
    c.auth.createFirstAdmin("root", "Rita Root", "long-enough-1", "different-2");
    QVERIFY(c.auth.message().contains("differ"));
    QVERIFY(!c.auth.loggedIn());
    c.auth.createFirstAdmin("root", "Rita Root", "long-enough-1", "long-enough-1");
    QTRY_COMPARE_WITH_TIMEOUT(c.auth.stage(), ui::AuthModel::Stage::LoggedIn, kWait);
    QCOMPARE(c.auth.role(), QStringLiteral("admin"));
    QVERIFY(c.auth.userSummary().contains("Rita Root"));
    // Setup is only for an empty database.
    c.auth.logOut();
    QCOMPARE(c.auth.stage(), ui::AuthModel::Stage::LoggedOut);
    c.auth.createFirstAdmin("second", "Second", "long-enough-1", "long-enough-1");
    QTest::qWait(200);
    QVERIFY(!c.auth.loggedIn());
  }

  void wrongPasswordThenLockoutAfterFiveTries() {
    QTemporaryDir dir;
    Console c(settingsIn(dir));
    QTRY_COMPARE_WITH_TIMEOUT(c.auth.stage(), ui::AuthModel::Stage::LoggedOut, kWait);
    // An unknown login and a wrong password read the same.
    QVERIFY(!c.logIn("nobody", "whatever-1"));
    const QString unknown = c.auth.message();
    QVERIFY(unknown.contains("wrong"));
    for (int i = 1; i <= 4; ++i) {
      QVERIFY(!c.logIn("lockme", "wrong-pass"));
      QCOMPARE(c.auth.message(), unknown);
    }
    QVERIFY(!c.logIn("lockme", "wrong-pass"));
    QVERIFY2(c.auth.message().contains("locked"), qPrintable(c.auth.message()));
    // Locked: even the right password is refused, and says so.
    QVERIFY(!c.logIn("lockme", "lockme-pass-1"));
    QVERIFY2(c.auth.message().contains("locked after 5 failed attempts"), qPrintable(c.auth.message()));
    QVERIFY(c.logIn("therapist", "therapist-pass-1"));
    QVERIFY(c.auth.message().isEmpty());
  }

  void rolesDecidePagesAndActions() {
    QTemporaryDir dir;
    Console c(settingsIn(dir));
    QTRY_COMPARE_WITH_TIMEOUT(c.auth.stage(), ui::AuthModel::Stage::LoggedOut, kWait);
    QCOMPARE(c.auth.allowedPages(), QStringList{"login"});

    QVERIFY(c.logIn("therapist", "therapist-pass-1"));
    QCOMPARE(c.auth.allowedPages(), (QStringList{"login", "patient", "bodymap", "needling", "laser", "summary", "devices"}));
    QCOMPARE(c.auth.homePage(), QStringLiteral("patient"));
    QVERIFY(c.auth.can("run-session"));
    QVERIFY(!c.auth.can("view-audit"));
    QVERIFY(!c.auth.can("no-such-action"));
    // The view model refuses too, whatever QML shows.
    c.audit.refresh();
    QVERIFY(c.audit.message().contains("Only managers"));
    QCOMPARE(c.audit.count(), 0);
    c.users.refresh();
    QVERIFY(c.users.message().contains("may not"));

    c.auth.logOut();
    QVERIFY(c.logIn("manager", "manager-pass-1"));
    QCOMPARE(c.auth.allowedPages(), (QStringList{"login", "patient", "summary", "audit", "users", "settings"}));
    QVERIFY(!c.users.assignableRoles().contains("admin"));
    c.session.start(1, "x");
    QVERIFY(c.session.message().contains("therapist"));
    QVERIFY(!c.session.active());

    c.auth.logOut();
    QVERIFY(c.logIn("vendor", "vendor-pass-1"));
    QCOMPARE(c.auth.allowedPages(), (QStringList{"login", "devices"}));
    QCOMPARE(c.auth.homePage(), QStringLiteral("devices"));
    c.patients.createPatient({{"mrn", "V-1"}, {"familyName", "Vendor's patient"}});
    QVERIFY(c.patients.message().contains("may not"));

    c.auth.logOut();
    QVERIFY(c.logIn("admin", "admin-pass-1"));
    QVERIFY(c.auth.allowedPages().contains("users"));
    QVERIFY(!c.auth.allowedPages().contains("patient"));
    QVERIFY(c.users.assignableRoles().contains("admin"));
  }

  void hostileTextIsStoredAndReturnedVerbatim() {
    QTemporaryDir dir;
    Console c(settingsIn(dir));
    QTRY_COMPARE_WITH_TIMEOUT(c.auth.stage(), ui::AuthModel::Stage::LoggedOut, kWait);
    QVERIFY(c.logIn("therapist", "therapist-pass-1"));
    const QString family = QStringLiteral("O'Brien\"; DROP TABLE patients; --");
    const QString given = QStringLiteral("<b>bold</b> <img src=x onerror=alert(1)> &amp; \u202Eשלום\u202C مرحبا");
    QString notes;
    while (notes.size() < 10 * 1024) notes += QStringLiteral("Robert'); DELETE FROM audit_entries;-- <i>x</i> \u05D0 ");
    c.patients.createPatient({{"mrn", "H-1"}, {"familyName", family}, {"givenName", given}, {"notes", notes},
                              {"heightCm", "172"}, {"weightKg", "70.5"}, {"birthDate", "1980-02-29"}});
    QTRY_COMPARE_WITH_TIMEOUT(c.patients.count(), 1, kWait);
    const QVariantMap p = c.patients.get(0);
    QCOMPARE(p.value("familyName").toString(), family);
    QCOMPARE(p.value("givenName").toString(), given);
    QCOMPARE(p.value("notes").toString(), notes);
    QCOMPARE(p.value("birthDate").toString(), QStringLiteral("1980-02-29"));
    QCOMPARE(p.value("heightCm").toDouble(), 172.0);
    QVERIFY(qAbs(p.value("bmi").toDouble() - 70.5 / (1.72 * 1.72)) < 1e-9);
    // The search filter works on the stored text.
    c.patients.setFilter("drop table");
    QCOMPARE(c.patients.count(), 1);
    c.patients.setFilter("nobody");
    QCOMPARE(c.patients.count(), 0);
    c.patients.setFilter({});
    // A bad date is refused before anything is written.
    c.patients.createPatient({{"mrn", "H-2"}, {"familyName", "X"}, {"birthDate", "29/02/1980"}});
    QVERIFY(c.patients.message().contains("YYYY-MM-DD"));
  }

  void screeningConsentAndBmi() {
    QCOMPARE(ui::PatientModel::bmi(180, 81), 25.0);
    QCOMPARE(ui::PatientModel::bmi(0, 81), -1.0);
    QCOMPARE(ui::PatientModel::bmi(180, -3), -1.0);
    QVERIFY(ui::PatientModel::bmiCategory(17.0).startsWith("underweight"));
    QTemporaryDir dir;
    Console c(settingsIn(dir));
    QTRY_COMPARE_WITH_TIMEOUT(c.auth.stage(), ui::AuthModel::Stage::LoggedOut, kWait);
    QVERIFY(c.logIn("therapist", "therapist-pass-1"));
    QSignalSpy created(&c.patients, &ui::PatientModel::patientCreated);
    c.patients.createPatient({{"mrn", "S-1"}, {"familyName", "Screened"}});
    QTRY_COMPARE_WITH_TIMEOUT(created.count(), 1, kWait);
    const qint64 id = created.at(0).at(0).toLongLong();

    const QVariantList questions = c.patients.screeningQuestions();
    QStringList keys;
    for (const QVariant& q : questions) keys << q.toMap().value("key").toString();
    for (const char* needed : {"pregnancy", "pacemaker", "anticoagulants", "malignancy", "epilepsy", "photosensitivity",
                               "recent_radiotherapy", "lung_disease"})
      QVERIFY2(keys.contains(QLatin1String(needed)), needed);

    QSignalSpy screened(&c.patients, &ui::PatientModel::screeningRecorded);
    // Form version 2: every topic answered (an untouched topic is not "no"), two of them yes.
    QVariantMap form{{"heightCm", "160"}, {"weightKg", "45"}, {"details", "warfarin \"5 mg\" <daily>"}};
    for (const QVariant& t : c.patients.screeningTopics()) form.insert(t.toMap().value("key").toString(), false);
    form.insert("anticoagulants", true);
    form.insert("lung_disease", true);
    c.patients.recordScreening(id, form);
    QTRY_COMPARE_WITH_TIMEOUT(screened.count(), 1, kWait);
    QCOMPARE(c.patients.flaggedContraindications({{"anticoagulants", true}}).size(), 1);
    // What was stored: the answers and the BMI, through the store's own audit of the write.
    const QString answers = c.store->writer().run([id](store::WriteTransaction& tx) {
      QSqlQuery q = tx.exec("SELECT answers_json FROM screenings WHERE patient_id = ?", {id});
      return q.next() ? q.value(0).toString() : QString();
    });
    QVERIFY2(answers.contains("\"anticoagulants\":true") && answers.contains("\"bmi\":17.6"), qPrintable(answers));

    QSignalSpy consented(&c.patients, &ui::PatientModel::consentRecorded);
    c.patients.recordConsent(id, "thoracic-needling", false, "patient", {});
    QVERIFY(c.patients.message().contains("pneumothorax"));
    c.patients.recordConsent(id, "made-up", true, "patient", {});
    QVERIFY(c.patients.message().contains("Choose"));
    c.patients.recordConsent(id, "thoracic-needling", true, "guardian", {});
    QVERIFY(c.patients.message().contains("guardian"));
    c.patients.recordConsent(id, "thoracic-needling", true, "patient", {});
    QTRY_COMPARE_WITH_TIMEOUT(consented.count(), 1, kWait);
  }

  void sessionRunsToSignOffAndAnUnfinishedOneReopens() {
    QTemporaryDir dir;
    qint64 unfinishedId = 0;
    qint64 patientId = 0;
    {
      Console c(settingsIn(dir));
        QTRY_COMPARE_WITH_TIMEOUT(c.auth.stage(), ui::AuthModel::Stage::LoggedOut, kWait);
      QVERIFY(c.logIn("therapist", "therapist-pass-1"));
      QSignalSpy created(&c.patients, &ui::PatientModel::patientCreated);
      c.patients.createPatient({{"mrn", "P-1"}, {"familyName", "Patient"}, {"givenName", "One"}});
      QTRY_COMPARE_WITH_TIMEOUT(created.count(), 1, kWait);
      patientId = created.at(0).at(0).toLongLong();

      c.session.start(patientId, "Patient, One (P-1)");
      QTRY_VERIFY_WITH_TIMEOUT(c.session.active() && !c.session.busy(), kWait);
      QCOMPARE(c.session.state(), QStringLiteral("open"));
      QTest::qWait(20);
      QVERIFY(c.session.clockUs() > 0);
      c.session.pause();
      QTRY_COMPARE_WITH_TIMEOUT(c.session.state(), QStringLiteral("paused"), kWait);
      c.session.resume();
      QTRY_COMPARE_WITH_TIMEOUT(c.session.state(), QStringLiteral("open"), kWait);
      c.session.addNote(QStringLiteral("<script>alert('x')</script> note"));
      QTRY_VERIFY_WITH_TIMEOUT(!c.session.busy(), kWait);
      // The note editor lists what was saved, with its author.
      QTRY_COMPARE_WITH_TIMEOUT(c.session.notes().size(), 1, kWait);
      QCOMPARE(c.session.notes().at(0).toMap().value("body").toString(),
               QStringLiteral("<script>alert('x')</script> note"));
      QCOMPARE(c.session.notes().at(0).toMap().value("author").toString(), QStringLiteral("Theo Therapist"));
      QVERIFY(c.session.notesEditable());
      c.session.signOff("therapist-pass-1");  // not yet ended: the store refuses
      QTRY_VERIFY_WITH_TIMEOUT(!c.session.busy(), kWait);
      QVERIFY2(c.session.message().contains("open"), qPrintable(c.session.message()));
      c.session.end();
      QTRY_COMPARE_WITH_TIMEOUT(c.session.state(), QStringLiteral("ended"), kWait);
      c.session.addAddendum("typo", "not yet signed");
      QVERIFY(c.session.message().contains("note instead"));
      // Part 11: the signature needs the signer's password; a wrong one signs nothing.
      c.session.signOff("not-my-password");
      QTRY_VERIFY_WITH_TIMEOUT(!c.session.busy(), kWait);
      QCOMPARE(c.session.state(), QStringLiteral("ended"));
      QVERIFY2(c.session.message().contains("password"), qPrintable(c.session.message()));
      c.session.signOff("therapist-pass-1");
      QTRY_COMPARE_WITH_TIMEOUT(c.session.state(), QStringLiteral("signed"), kWait);
      QVERIFY(c.session.message().contains("Signed"));
      QTRY_COMPARE_WITH_TIMEOUT(c.session.signedBy(), QStringLiteral("Theo Therapist"), kWait);
      QVERIFY(!c.session.notesEditable());
      // After the sign-off a note is refused; a change is an addendum with a reason.
      c.session.addNote("too late");
      QVERIFY(c.session.message().contains("addendum"));
      c.session.addAddendum("", "no reason");
      QVERIFY(c.session.message().contains("reason"));
      c.session.addAddendum("wrong side", "It was the left trapezius.");
      QTRY_COMPARE_WITH_TIMEOUT(c.session.addenda().size(), 1, kWait);
      const QVariantMap addendum = c.session.addenda().at(0).toMap();
      QCOMPARE(addendum.value("reason").toString(), QStringLiteral("wrong side"));
      QCOMPARE(addendum.value("body").toString(), QStringLiteral("It was the left trapezius."));
      QCOMPARE(addendum.value("author").toString(), QStringLiteral("Theo Therapist"));
      QVERIFY(!addendum.value("time").toString().isEmpty());
      QCOMPARE(c.session.notes().size(), 1);  // the signed note itself is unchanged
      {
        const auto trail = store::queryAudit(c.store->writer(), store::Actor::operatingSystemAccount(), {}).get();
        QStringList actions;
        for (const auto& row : trail) actions << row.action;
        QVERIFY(actions.contains("session.signed"));
        // The signature is a re-authentication for the sign-off, not a log-in.
        QVERIFY(actions.contains("auth.reauthenticated"));
        for (const auto& row : trail)
          QVERIFY2(row.action != "auth.ok" || row.details.contains("\"purpose\":\"login\""), qPrintable(row.details));
        QVERIFY(actions.contains("addendum.added"));
        QVERIFY(actions.contains("note.read"));
      }
      c.session.close();
      QVERIFY(!c.session.active());

      // A second session the "crash" leaves open.
      c.session.start(patientId, "Patient, One (P-1)");
      QTRY_VERIFY_WITH_TIMEOUT(c.session.active() && !c.session.busy(), kWait);
      unfinishedId = c.session.sessionId();
      QTest::qWait(30);
      c.session.addNote(QStringLiteral("kept across the crash"));
      QTRY_COMPARE_WITH_TIMEOUT(c.session.notes().size(), 1, kWait);
      c.session.pause();
      QTRY_COMPARE_WITH_TIMEOUT(c.session.state(), QStringLiteral("paused"), kWait);
    }
    // Next start of the console, same data directory (same console key).
    Console c(settingsIn(dir), false);
    QTRY_COMPARE_WITH_TIMEOUT(c.auth.stage(), ui::AuthModel::Stage::LoggedOut, kWait);
    QVERIFY(c.logIn("therapist", "therapist-pass-1"));
    QTRY_COMPARE_WITH_TIMEOUT(c.session.unfinished().size(), 1, kWait);
    QCOMPARE(c.session.unfinished().at(0).toMap().value("sessionId").toLongLong(), unfinishedId);
    c.session.recover(unfinishedId);
    QTRY_VERIFY_WITH_TIMEOUT(c.session.active() && !c.session.busy(), kWait);
    QVERIFY(c.session.recovered());
    QCOMPARE(c.session.state(), QStringLiteral("paused"));
    QVERIFY(c.session.unfinished().isEmpty());
    QVERIFY2(c.session.clockUs() >= 30'000, "the clock resumes from the latest recorded time");
    QTRY_COMPARE_WITH_TIMEOUT(c.session.patientLabel(), QStringLiteral("Patient, One (P-1)"), kWait);
    // What was recovered is said on screen: session, patient, state, clock, notes.
    QTRY_VERIFY_WITH_TIMEOUT(c.session.recoveryText().contains("Patient, One (P-1)"), kWait);
    QVERIFY2(c.session.recoveryText().contains(QString::number(unfinishedId)), qPrintable(c.session.recoveryText()));
    QVERIFY2(c.session.recoveryText().contains("paused"), qPrintable(c.session.recoveryText()));
    QVERIFY2(c.session.recoveryText().contains("1 saved note"), qPrintable(c.session.recoveryText()));
    c.session.resume();
    QTRY_COMPARE_WITH_TIMEOUT(c.session.state(), QStringLiteral("open"), kWait);
    c.session.end();
    QTRY_COMPARE_WITH_TIMEOUT(c.session.state(), QStringLiteral("ended"), kWait);
  }

  void autoLockWaitsForEmissionAndUnlockNeedsThePassword() {
    QTemporaryDir dir;
    Console c(settingsIn(dir));
    QTRY_COMPARE_WITH_TIMEOUT(c.auth.stage(), ui::AuthModel::Stage::LoggedOut, kWait);
    c.auth.setAutoLockSeconds(1);
    QVERIFY(c.logIn("therapist", "therapist-pass-1"));
    c.auth.setLockInhibited(true);  // the laser is emitting
    QTest::qWait(1600);
    QVERIFY(!c.auth.locked());
    c.auth.setLockInhibited(false);
    QTRY_VERIFY_WITH_TIMEOUT(c.auth.locked(), 3000);
    QVERIFY(!c.auth.actor().has_value());
    QVERIFY(!c.auth.can("run-session"));
    QVERIFY(c.auth.userSummary().contains("locked"));
    c.auth.unlock("wrong-password");
    QTRY_VERIFY_WITH_TIMEOUT(!c.auth.busy(), kWait);
    QVERIFY(c.auth.locked());
    QVERIFY(c.auth.message().contains("wrong"));
    c.auth.unlock("therapist-pass-1");
    QTRY_VERIFY_WITH_TIMEOUT(!c.auth.locked(), kWait);
    QCOMPARE(c.auth.login(), QStringLiteral("therapist"));
  }

  void supervisorApprovalNeedsASecondPerson() {
    QTemporaryDir dir;
    Console c(settingsIn(dir));
    QTRY_COMPARE_WITH_TIMEOUT(c.auth.stage(), ui::AuthModel::Stage::LoggedOut, kWait);
    QVERIFY(c.logIn("therapist", "therapist-pass-1"));
    QSignalSpy finished(&c.auth, &ui::AuthModel::supervisorFinished);
    const int self = c.auth.requestSupervisorApproval("LUNG-1", "therapist", "therapist-pass-1", "deep", {});
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWait);
    QCOMPARE(finished.at(0).at(0).toInt(), self);
    QCOMPARE(finished.at(0).at(1).toBool(), false);
    const int wrong = c.auth.requestSupervisorApproval("LUNG-1", "manager", "not-it", "deep", {});
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, kWait);
    QCOMPARE(finished.at(1).at(0).toInt(), wrong);
    QCOMPARE(finished.at(1).at(1).toBool(), false);
    const int ok = c.auth.requestSupervisorApproval("LUNG-1", "manager", "manager-pass-1", "ultrasound-guided",
                                                    {{"site", "upper-trapezius"}});
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, kWait);
    QCOMPARE(finished.at(2).at(0).toInt(), ok);
    QVERIFY2(finished.at(2).at(1).toBool(), qPrintable(finished.at(2).at(2).toString()));
    QVERIFY(finished.at(2).at(3).toLongLong() > 0);
  }

  void auditFiltersVerifyAndExport() {
    QTemporaryDir dir;
    Console c(settingsIn(dir));
    QTRY_COMPARE_WITH_TIMEOUT(c.auth.stage(), ui::AuthModel::Stage::LoggedOut, kWait);
    QVERIFY(!c.logIn("therapist", "bad-password"));
    QVERIFY(c.logIn("manager", "manager-pass-1"));
    QVERIFY(c.auth.can("view-audit"));

    c.audit.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(!c.audit.busy() && c.audit.count() > 5, kWait);
    QVERIFY(c.audit.lastUs() >= c.audit.firstUs());
    QTRY_VERIFY_WITH_TIMEOUT(c.audit.actors().contains("therapist"), kWait);

    c.audit.setKind("login");
    c.audit.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(!c.audit.busy(), kWait);
    QVERIFY(c.audit.count() >= 2);
    for (int i = 0; i < c.audit.count(); ++i) QVERIFY(c.audit.get(i).value("action").toString().startsWith("auth."));

    c.audit.setSeverity("warning");
    c.audit.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(!c.audit.busy(), kWait);
    QCOMPARE(c.audit.count(), 1);
    QCOMPARE(c.audit.get(0).value("action").toString(), QStringLiteral("auth.failed"));
    QCOMPARE(c.audit.get(0).value("actor").toString(), QStringLiteral("therapist"));

    c.audit.setSeverity("all");
    c.audit.setKind("all");
    c.audit.setActorFilter("admin");
    c.audit.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(!c.audit.busy(), kWait);
    QVERIFY(c.audit.count() >= 1);
    for (int i = 0; i < c.audit.count(); ++i) QCOMPARE(c.audit.get(i).value("actor").toString(), QStringLiteral("admin"));

    c.audit.setActorFilter({});
    c.audit.setFromDate("2001-01-01");
    c.audit.setToDate("2001-12-31");
    c.audit.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(!c.audit.busy(), kWait);
    QCOMPARE(c.audit.count(), 0);
    c.audit.setFromDate("yesterday");
    c.audit.refresh();
    QVERIFY(c.audit.message().contains("YYYY-MM-DD"));
    c.audit.setFromDate({});
    c.audit.setToDate({});

    QCOMPARE(ui::AuditModel::severityOf("safety.refused"), QStringLiteral("warning"));
    QCOMPARE(ui::AuditModel::severityOf("fault.link-lost"), QStringLiteral("critical"));
    QCOMPARE(ui::AuditModel::severityOf("patient.read"), QStringLiteral("info"));
    QCOMPARE(ui::AuditModel::kindOf("supervisor.approved"), QStringLiteral("approval"));
    QCOMPARE(ui::AuditModel::kindOf("safety.refused"), QStringLiteral("refusal"));

    c.audit.verify();
    QTRY_VERIFY_WITH_TIMEOUT(c.audit.verifyState() != "checking", kWait);
    QVERIFY2(c.audit.verifyState() == "intact", qPrintable(c.audit.verifyText()));

    c.audit.exportTo("csv");
    QTRY_VERIFY_WITH_TIMEOUT(!c.audit.exportedPath().isEmpty(), kWait);
    QFile csv(c.audit.exportedPath());
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QByteArray bytes = csv.readAll();
    QVERIFY(bytes.contains("auth.failed"));
    QVERIFY(bytes.contains("user.created"));
  }

  void userAdministration() {
    QTemporaryDir dir;
    Console c(settingsIn(dir));
    QTRY_COMPARE_WITH_TIMEOUT(c.auth.stage(), ui::AuthModel::Stage::LoggedOut, kWait);
    QVERIFY(c.logIn("manager", "manager-pass-1"));
    c.users.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(c.users.count(), 5, kWait);
    c.users.createUser("newbie", "New <b>Therapist</b>", "admin", "newbie-pass-1");
    QVERIFY(c.users.message().contains("role"));
    QSignalSpy created(&c.users, &ui::UserAdminModel::userCreated);
    c.users.createUser("newbie", "New <b>Therapist</b>", "therapist", "newbie-pass-1");
    QTRY_COMPARE_WITH_TIMEOUT(created.count(), 1, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(c.users.count(), 6, kWait);
    const qint64 id = created.at(0).at(0).toLongLong();
    c.users.addCredential(id, "laser", "CERT-1", "2025-01-01", "2024-01-01");
    QVERIFY(c.users.message().contains("dates"));
    c.users.addCredential(id, "laser", "CERT-1", QDate::currentDate().addYears(-1).toString(Qt::ISODate),
                          QDate::currentDate().addYears(1).toString(Qt::ISODate));
    QTRY_VERIFY_WITH_TIMEOUT(c.users.message() == "Credential added.", kWait);
    QVERIFY(c.store->users().hasValidCredential(id, "laser", QDate::currentDate()).get());
    c.users.setActive(id, false);
    QTRY_VERIFY_WITH_TIMEOUT(c.users.message() == "Account deactivated.", kWait);
    c.auth.logOut();
    QVERIFY(!c.logIn("newbie", "newbie-pass-1"));
    QVERIFY(c.auth.message().contains("deactivated"));
  }

  // The manager's audit screen on the demo clinic (built by the CLI's own code):
  // each kind filter finds its entries, user and severity filters hold, the
  // chain verifies off the GUI thread, and CSV, JSON and PDF exports are written.
  void auditScreenOnTheDemoClinic() {
    QTemporaryDir dir;
    {
      auto demo = store::Store::open(settingsIn(dir), store::PasswordPolicy::minimumForTests());
      cli::buildDemoClinic(*demo, 5, 7);
    }
    Console c(settingsIn(dir), false);
    QTRY_COMPARE_WITH_TIMEOUT(c.auth.stage(), ui::AuthModel::Stage::LoggedOut, kWait);
    QString managerPassword;
    for (const auto& login : cli::demoLogins())
      if (login.login == "manager") managerPassword = login.password;
    QVERIFY(c.logIn("manager", managerPassword));
    c.audit.setExportDirectory(dir.filePath("exports"));

    const auto shown = [&](const QString& role) {
      c.audit.refresh();
      [&] { QTRY_VERIFY_WITH_TIMEOUT(!c.audit.busy(), kWait); }();
      QStringList values;
      for (int i = 0; i < c.audit.count(); ++i) values << c.audit.get(i).value(role).toString();
      return values;
    };
    QVERIFY(shown("action").size() > 20);
    for (const QString kind : {"refusal", "approval", "login"}) {
      c.audit.setKind(kind);
      const QStringList kinds = shown("kind");
      QVERIFY2(!kinds.isEmpty(), qPrintable("the demo has no " + kind));
      for (const QString& k : kinds) QCOMPARE(k, kind);
    }
    c.audit.setKind("all");
    c.audit.setSeverity("warning");
    const QStringList severities = shown("severity");
    QVERIFY(!severities.isEmpty());
    for (const QString& sev : severities) QCOMPARE(sev, QStringLiteral("warning"));
    c.audit.setSeverity("all");
    c.audit.setActorFilter("therapist");
    const QStringList actors = shown("actor");
    QVERIFY(!actors.isEmpty());
    for (const QString& a : actors) QCOMPARE(a, QStringLiteral("therapist"));
    c.audit.setActorFilter({});
    const QString today = QDate::currentDate().toString(Qt::ISODate);
    c.audit.setFromDate(today);
    c.audit.setToDate(today);
    QVERIFY(!shown("action").isEmpty());

    c.audit.verify();
    QCOMPARE(c.audit.verifyState(), QStringLiteral("checking"));  // answered later, not on this thread
    QTRY_VERIFY_WITH_TIMEOUT(c.audit.verifyState() != "checking", kWait);
    QVERIFY2(c.audit.verifyState() == "intact", qPrintable(c.audit.verifyText()));

    for (const QString format : {"csv", "json", "pdf"}) {
      const QString before = c.audit.exportedPath();
      c.audit.exportTo(format);
      QTRY_VERIFY_WITH_TIMEOUT(!c.audit.busy() && c.audit.exportedPath() != before, kWait);
      QVERIFY(c.audit.exportedPath().endsWith("." + format));
      QFile file(c.audit.exportedPath());
      QVERIFY(file.open(QIODevice::ReadOnly));
      const QByteArray bytes = file.readAll();
      if (format == "pdf") {
        QVERIFY(bytes.startsWith("%PDF"));
      } else {
        QVERIFY2(bytes.contains("supervisor.approved"), qPrintable(format));
      }
      QTest::qWait(1100);  // file names carry the second
    }
  }

  void everyoneChangesTheirOwnPasswordAndManagersResetOthers() {
    QTemporaryDir dir;
    Console c(settingsIn(dir));
    QTRY_COMPARE_WITH_TIMEOUT(c.auth.stage(), ui::AuthModel::Stage::LoggedOut, kWait);
    // A vendor (no user administration) changes their own password.
    QVERIFY(c.logIn("vendor", "vendor-pass-1"));
    c.users.changeOwnPassword("vendor-pass-1", "vendor-new-1", "vendor-new-2");
    QVERIFY(c.users.message().contains("differ"));
    c.users.changeOwnPassword("wrong-old-1", "vendor-new-1", "vendor-new-1");
    QTRY_VERIFY_WITH_TIMEOUT(!c.users.busy(), kWait);
    QVERIFY2(c.users.message().contains("not correct") && c.users.message().contains("4"),
             qPrintable(c.users.message()));
    QSignalSpy changed(&c.users, &ui::UserAdminModel::ownPasswordChanged);
    c.users.changeOwnPassword("vendor-pass-1", "vendor-new-1", "vendor-new-1");
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, kWait);
    QCOMPARE(c.users.message(), QStringLiteral("Password changed."));
    c.auth.logOut();
    QVERIFY(!c.logIn("vendor", "vendor-pass-1"));
    QVERIFY(c.logIn("vendor", "vendor-new-1"));
    c.auth.logOut();

    // Wrong current passwords count toward the lockout: the fifth locks and logs out.
    QVERIFY(c.logIn("lockme", "lockme-pass-1"));
    for (int i = 0; i < 5; ++i) {
      c.users.changeOwnPassword(QStringLiteral("wrong-%1").arg(i), "lockme-new-1", "lockme-new-1");
      QTRY_VERIFY_WITH_TIMEOUT(!c.users.busy(), kWait);
    }
    QVERIFY2(c.users.message().contains("locked"), qPrintable(c.users.message()));
    QTRY_VERIFY_WITH_TIMEOUT(!c.auth.loggedIn(), kWait);
    QVERIFY(!c.logIn("lockme", "lockme-pass-1"));
    QVERIFY2(c.auth.message().contains("locked"), qPrintable(c.auth.message()));

    // A manager resets a therapist's password (audited), not their own here, not an admin's.
    QVERIFY(c.logIn("manager", "manager-pass-1"));
    c.users.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(c.users.count(), 5, kWait);
    qint64 therapistId = 0, adminId = 0, managerId = 0;
    for (int row = 0; row < c.users.count(); ++row) {
      const auto idx = c.users.index(row);
      const QString login = c.users.data(idx, ui::UserAdminModel::LoginRole).toString();
      const qint64 id = c.users.data(idx, ui::UserAdminModel::UserIdRole).toLongLong();
      if (login == "therapist") therapistId = id;
      if (login == "admin") adminId = id;
      if (login == "manager") managerId = id;
    }
    c.users.resetPassword(managerId, "manager-new-1");
    QVERIFY(c.users.message().contains("Change password"));
    c.users.resetPassword(adminId, "admin-new-1");
    QVERIFY(c.users.message().contains("administrator"));
    c.users.resetPassword(therapistId, "therapist-new-1");
    QTRY_COMPARE_WITH_TIMEOUT(c.users.message(), QStringLiteral("Password reset."), kWait);
    c.auth.logOut();
    QVERIFY(c.logIn("therapist", "therapist-new-1"));
    QVERIFY(c.logIn("admin", "admin-pass-1"));

    const auto trail = store::queryAudit(c.store->writer(), store::Actor::operatingSystemAccount(), {}).get();
    int changedEntries = 0, resetEntries = 0;
    for (const auto& row : trail) {
      if (row.action == "user.password-changed") ++changedEntries;
      if (row.action == "user.password-reset") {
        ++resetEntries;
        QCOMPARE(row.actor, QStringLiteral("manager"));
        QCOMPARE(row.subject, QStringLiteral("user:%1").arg(therapistId));
      }
      QVERIFY2(!row.details.contains("new-1"), "no password in the audit trail");
    }
    QCOMPARE(changedEntries, 1);
    QCOMPARE(resetEntries, 1);
  }
};

QTEST_MAIN(TestScreensModels)
#include "test_screens_models.moc"
