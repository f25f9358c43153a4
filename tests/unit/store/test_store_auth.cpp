// Users and access: first-run admin, role checks per action, lockout after 5
// failures for 15 minutes, supervisor approval, and no password anywhere on disk.
#include "StoreTestUtil.h"

#include "core/Logging.h"

#include <QDirIterator>
#include <QFile>
#include <QSqlQuery>
#include <QtTest>

#include <atomic>

using namespace tautband::store;
using namespace tautband::store::testing;

namespace {
const QString kAdminPassword = QStringLiteral("Adm1n-Secret-Phrase");
const QString kTherapistPassword = QStringLiteral("Th3rapist-Secret");
const QString kManagerPassword = QStringLiteral("Man4ger-Secret");
}  // namespace

class StoreAuthTest : public QObject {
  Q_OBJECT
 private slots:
  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    now_ = 1'800'000'000'000'000;
    store_ = Store::open(sqliteSettings(*dir_), PasswordPolicy::minimumForTests());
    users_ = std::make_unique<UserDirectory>(store_->writer(), PasswordPolicy::minimumForTests(), LockoutPolicy{},
                                             [this] { return now_.load(); });
  }
  void cleanup() {
    users_.reset();
    store_.reset();
    dir_.reset();
  }

  void firstRunCreatesTheAdminOnlyOnce() {
    QVERIFY(!users_->hasAnyUser().get());
    const UserRecord admin = users_->createFirstAdmin(QStringLiteral("admin"), QStringLiteral("Admin"), kAdminPassword).get();
    QCOMPARE(admin.role, Role::Admin);
    QVERIFY(users_->hasAnyUser().get());
    QVERIFY_THROWS_EXCEPTION(StoreError,
                             users_->createFirstAdmin(QStringLiteral("admin2"), QStringLiteral("X"), kAdminPassword).get());
    QVERIFY(users_->authenticate(QStringLiteral("admin"), kAdminPassword).get().ok());
  }

  void rolesAreCheckedPerAction() {
    // The role table itself.
    QVERIFY(isAllowed(Role::Therapist, Action::Needle));
    QVERIFY(isAllowed(Role::Therapist, Action::Laser));
    QVERIFY(!isAllowed(Role::Manager, Action::Laser));
    QVERIFY(!isAllowed(Role::VendorService, Action::ReadPatient));
    QVERIFY(isAllowed(Role::VendorService, Action::ServiceDevices));
    QVERIFY(!isAllowed(Role::Therapist, Action::ManageUsers));
    QVERIFY(!isAllowed(Role::Therapist, Action::ViewAudit));
    QVERIFY(isAllowed(Role::Manager, Action::ViewAudit));
    QVERIFY(!isAllowed(Role::Manager, Action::Restore));
    QVERIFY(isAllowed(Role::Admin, Action::Restore));
    QVERIFY(!isAllowed(Role::Admin, Action::Needle));

    // Through the API: a vendor-service user cannot read or create patients, and the refusal is audited.
    const UserRecord admin = users_->createFirstAdmin(QStringLiteral("admin"), QStringLiteral("Admin"), kAdminPassword).get();
    const UserRecord vendor = users_->createUser(admin.actor(), QStringLiteral("vendor"), QStringLiteral("Vendor"),
                                                 Role::VendorService, QStringLiteral("Vend0r-Secret")).get();
    const UserRecord therapist = users_->createUser(admin.actor(), QStringLiteral("thera"), QStringLiteral("T"),
                                                    Role::Therapist, kTherapistPassword).get();
    QVERIFY_THROWS_EXCEPTION(PermissionDenied,
                             users_->createUser(therapist.actor(), QStringLiteral("x"), QStringLiteral("X"),
                                                Role::Therapist, QStringLiteral("whatever-123")).get());
    PatientDraft p;
    p.mrn = QStringLiteral("P-1");
    p.familyName = QStringLiteral("Doe");
    p.givenName = QStringLiteral("Jane");
    QVERIFY_THROWS_EXCEPTION(PermissionDenied, store_->clinical().createPatient(vendor.actor(), p).get());
    const qint64 patient = store_->clinical().createPatient(therapist.actor(), p).get();
    QVERIFY_THROWS_EXCEPTION(PermissionDenied, store_->clinical().readPatient(vendor.actor(), patient).get());
    QCOMPARE(store_->clinical().readPatient(therapist.actor(), patient).get().familyName, QStringLiteral("Doe"));
    QVERIFY_THROWS_EXCEPTION(PermissionDenied, store_->clinical().startSession(admin.actor(), patient).get());
    store_->writer().checkpoint(QStringLiteral("sync")).get();  // the fire-and-forget denials are durable now
    QCOMPARE(countActions(QStringLiteral("access.denied")), 4);
    QCOMPARE(countActions(QStringLiteral("patient.read")), 1);  // reading is audited
  }

  void fiveFailuresLockForFifteenMinutes() {
    const UserRecord admin = users_->createFirstAdmin(QStringLiteral("admin"), QStringLiteral("Admin"), kAdminPassword).get();
    users_->createUser(admin.actor(), QStringLiteral("thera"), QStringLiteral("T"), Role::Therapist, kTherapistPassword).get();
    for (int i = 0; i < 4; ++i) {
      QCOMPARE(users_->authenticate(QStringLiteral("thera"), QStringLiteral("wrong")).get().status,
               AuthResult::Status::WrongPassword);
    }
    QVERIFY(users_->authenticate(QStringLiteral("thera"), kTherapistPassword).get().ok());  // a success resets the count
    for (int i = 0; i < 5; ++i) users_->authenticate(QStringLiteral("thera"), QStringLiteral("wrong")).get();
    // Locked: even the right password is refused, without checking it.
    auto locked = users_->authenticate(QStringLiteral("thera"), kTherapistPassword).get();
    QCOMPARE(locked.status, AuthResult::Status::LockedOut);
    QCOMPARE(locked.lockedUntilUs, now_.load() + 15LL * 60 * 1'000'000);
    now_ += 14LL * 60 * 1'000'000;
    QCOMPARE(users_->authenticate(QStringLiteral("thera"), kTherapistPassword).get().status, AuthResult::Status::LockedOut);
    now_ += 61LL * 1'000'000;
    QVERIFY(users_->authenticate(QStringLiteral("thera"), kTherapistPassword).get().ok());
    QCOMPARE(countActions(QStringLiteral("auth.locked-out")), 1);
    QCOMPARE(countActions(QStringLiteral("auth.refused")), 2);
    QCOMPARE(users_->authenticate(QStringLiteral("nobody"), QStringLiteral("x")).get().status,
             AuthResult::Status::UnknownUser);
  }

  void supervisorApprovalNeedsASecondAuthorisedPerson() {
    const UserRecord admin = users_->createFirstAdmin(QStringLiteral("admin"), QStringLiteral("Admin"), kAdminPassword).get();
    const UserRecord therapist = users_->createUser(admin.actor(), QStringLiteral("thera"), QStringLiteral("T"),
                                                    Role::Therapist, kTherapistPassword).get();
    users_->createUser(admin.actor(), QStringLiteral("boss"), QStringLiteral("Manager"), Role::Manager, kManagerPassword).get();
    const QString rule = QStringLiteral("LASER-PROTOCOL-1");
    // Self-approval, wrong password, a role that may not approve, no reason: refused.
    auto self = users_->approveAsSupervisor(therapist.actor(), QStringLiteral("thera"), kTherapistPassword, rule,
                                            QStringLiteral("because")).get();
    QVERIFY(!self.approved);
    QVERIFY(self.refusal.contains(QLatin1String("second person")));
    QVERIFY(!users_->approveAsSupervisor(therapist.actor(), QStringLiteral("boss"), QStringLiteral("bad"), rule,
                                         QStringLiteral("because")).get().approved);
    QVERIFY(!users_->approveAsSupervisor(therapist.actor(), QStringLiteral("admin"), kAdminPassword, rule,
                                         QStringLiteral("because")).get().approved);
    QVERIFY(!users_->approveAsSupervisor(therapist.actor(), QStringLiteral("boss"), kManagerPassword, rule, QString()).get().approved);
    // The manager, with full ID and password and a reason: approved, both users and the reason audited.
    const auto ok = users_->approveAsSupervisor(therapist.actor(), QStringLiteral("boss"), kManagerPassword, rule,
                                                QStringLiteral("dose above clinic protocol, inside WALT bounds"),
                                                QJsonObject{{"power_mw", 450}}, 123456).get();
    QVERIFY(ok.approved);
    QVERIFY(ok.auditSequence > 0);
    Connection c(store_->settings());
    QSqlQuery q = c.exec(QStringLiteral("SELECT actor, details, session_clock_us FROM audit_entries WHERE sequence = ?"),
                         {QVariant::fromValue<qint64>(ok.auditSequence)});
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("boss"));
    const QString details = q.value(1).toString();
    QVERIFY(details.contains(QLatin1String("\"requester\":\"thera\"")));
    QVERIFY(details.contains(QLatin1String("\"supervisor\":\"boss\"")));
    QVERIFY(details.contains(QLatin1String("inside WALT bounds")));
    QVERIFY(details.contains(QLatin1String(rule.toLatin1())));
    QCOMPARE(q.value(2).toLongLong(), 123456);
    QCOMPARE(countActions(QStringLiteral("supervisor.refused")), 4);
    QCOMPARE(countActions(QStringLiteral("supervisor.approved")), 1);
  }

  void userAdministrationAndPasswordChanges() {
    const UserRecord admin = users_->createFirstAdmin(QStringLiteral("admin"), QStringLiteral("Admin"), kAdminPassword).get();
    const UserRecord t = users_->createUser(admin.actor(), QStringLiteral("thera"), QStringLiteral("T"), Role::Therapist,
                                            kTherapistPassword).get();
    QVERIFY_THROWS_EXCEPTION(PermissionDenied, users_->listUsers(t.actor()).get());
    const auto list = users_->listUsers(admin.actor()).get();
    QCOMPARE(list.size(), std::size_t{2});
    QCOMPARE(list[1].login, QStringLiteral("thera"));
    // Own password: the old one is required.
    QVERIFY_THROWS_EXCEPTION(PermissionDenied,
                             users_->changePassword(t.actor(), t.id, QStringLiteral("wrong"), QStringLiteral("new-pass-123")).get());
    users_->changePassword(t.actor(), t.id, kTherapistPassword, QStringLiteral("new-pass-123")).get();
    QVERIFY(!users_->authenticate(QStringLiteral("thera"), kTherapistPassword).get().ok());
    QVERIFY(users_->authenticate(QStringLiteral("thera"), QStringLiteral("new-pass-123")).get().ok());
    // An admin resets it (e.g. after a lockout); a therapist cannot reset someone else's.
    users_->changePassword(admin.actor(), t.id, QString(), QStringLiteral("reset-pass-456")).get();
    QVERIFY(users_->authenticate(QStringLiteral("thera"), QStringLiteral("reset-pass-456")).get().ok());
    QVERIFY_THROWS_EXCEPTION(PermissionDenied,
                             users_->changePassword(t.actor(), admin.id, QString(), QStringLiteral("hijack-pass-1")).get());
    QCOMPARE(countActions(QStringLiteral("user.password-reset")), 1);
  }

  void onlyAnAdminResetsOrDeactivatesAnAdmin() {
    const UserRecord admin = users_->createFirstAdmin(QStringLiteral("admin"), QStringLiteral("Admin"), kAdminPassword).get();
    const UserRecord m = users_->createUser(admin.actor(), QStringLiteral("mgr"), QStringLiteral("M"), Role::Manager,
                                            kManagerPassword).get();
    const UserRecord m2 = users_->createUser(admin.actor(), QStringLiteral("mgr2"), QStringLiteral("M2"), Role::Manager,
                                             kManagerPassword).get();
    const UserRecord t = users_->createUser(m.actor(), QStringLiteral("thera"), QStringLiteral("T"), Role::Therapist,
                                            kTherapistPassword).get();
    const int deniedBefore = countActions(QStringLiteral("access.denied"));
    // A manager taking over the admin account: refused, audited, nothing changed.
    QVERIFY_THROWS_EXCEPTION(PermissionDenied,
                             users_->changePassword(m.actor(), admin.id, QString(), QStringLiteral("taken-over-1")).get());
    QVERIFY_THROWS_EXCEPTION(PermissionDenied, users_->setActive(m.actor(), admin.id, false).get());
    QCOMPARE(countActions(QStringLiteral("access.denied")), deniedBefore + 2);
    QVERIFY(!users_->authenticate(QStringLiteral("admin"), QStringLiteral("taken-over-1")).get().ok());
    QVERIFY(users_->authenticate(QStringLiteral("admin"), kAdminPassword).get().ok());
    QCOMPARE(countActions(QStringLiteral("user.password-reset")), 0);
    QCOMPARE(countActions(QStringLiteral("user.deactivated")), 0);
    // Managers administer therapists and other managers (the role table lets
    // them create managers); an admin administers everyone.
    users_->changePassword(m.actor(), t.id, QString(), QStringLiteral("reset-by-mgr-1")).get();
    users_->changePassword(m.actor(), m2.id, QString(), QStringLiteral("reset-by-mgr-2")).get();
    QVERIFY(users_->authenticate(QStringLiteral("mgr2"), QStringLiteral("reset-by-mgr-2")).get().ok());
    const UserRecord admin2 = users_->createUser(admin.actor(), QStringLiteral("admin2"), QStringLiteral("A2"),
                                                 Role::Admin, kAdminPassword).get();
    users_->changePassword(admin.actor(), admin2.id, QString(), QStringLiteral("reset-by-admin")).get();
    users_->setActive(admin.actor(), admin2.id, false).get();
    QCOMPARE(countActions(QStringLiteral("user.password-reset")), 3);
    QCOMPARE(countActions(QStringLiteral("user.deactivated")), 1);
  }

  void reauthenticationIsASignatureNotALogin() {
    const UserRecord admin = users_->createFirstAdmin(QStringLiteral("admin"), QStringLiteral("Admin"), kAdminPassword).get();
    const UserRecord t = users_->createUser(admin.actor(), QStringLiteral("thera"), QStringLiteral("T"), Role::Therapist,
                                            kTherapistPassword).get();
    const int loginsBefore = countActions(QStringLiteral("auth.ok"));
    const Reauthentication ok =
        users_->reauthenticate(t.actor(), kTherapistPassword, QStringLiteral("sign-off"), QStringLiteral("session:9")).get();
    QVERIFY(ok.ok());
    QVERIFY(ok.auditSequence > 0);
    QCOMPARE(countActions(QStringLiteral("auth.ok")), loginsBefore);  // not a log-in
    Connection c(store_->settings());
    QSqlQuery q = c.exec(QStringLiteral("SELECT action, details FROM audit_entries WHERE sequence = ?"),
                         {QVariant::fromValue<qint64>(ok.auditSequence)});
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("auth.reauthenticated"));
    QVERIFY(q.value(1).toString().contains(QLatin1String("sign-off")));
    QVERIFY(q.value(1).toString().contains(QLatin1String("session:9")));
    // Someone else's password does not sign for this actor.
    QVERIFY(!users_->reauthenticate(t.actor(), kAdminPassword, QStringLiteral("sign-off"), QStringLiteral("session:9"))
                 .get()
                 .ok());
    // The OS account has no password to sign with.
    QVERIFY(!users_->reauthenticate(Actor::operatingSystemAccount(), kTherapistPassword, QStringLiteral("sign-off"),
                                    QStringLiteral("session:9"))
                 .get()
                 .ok());
    // Wrong signature passwords count toward the lockout like log-ins do.
    for (int i = 0; i < 4; ++i)
      QVERIFY(!users_->reauthenticate(t.actor(), QStringLiteral("wrong-%1").arg(i), QStringLiteral("sign-off"),
                                      QStringLiteral("session:9"))
                   .get()
                   .ok());
    const Reauthentication locked =
        users_->reauthenticate(t.actor(), kTherapistPassword, QStringLiteral("sign-off"), QStringLiteral("session:9")).get();
    QCOMPARE(locked.status, AuthResult::Status::LockedOut);
    QVERIFY(locked.lockedUntilUs > 0);
    QCOMPARE(countActions(QStringLiteral("auth.reauthenticated")), 1);
  }

  void noPasswordInTheDatabaseOrTheLogs() {
    tautband::core::LoggingSettings logging;
    logging.level = "trace";
    logging.logDirectory = std::filesystem::path(dir_->path().toStdString()) / "logs";
    tautband::core::configureLogging(logging);
    const UserRecord admin = users_->createFirstAdmin(QStringLiteral("admin"), QStringLiteral("Admin"), kAdminPassword).get();
    users_->createUser(admin.actor(), QStringLiteral("thera"), QStringLiteral("T"), Role::Therapist, kTherapistPassword).get();
    users_->authenticate(QStringLiteral("thera"), kTherapistPassword).get();
    users_->authenticate(QStringLiteral("thera"), kTherapistPassword + QStringLiteral("x")).get();
    users_->approveAsSupervisor(admin.actor(), QStringLiteral("thera"), kTherapistPassword, QStringLiteral("R"),
                                QStringLiteral("r")).get();
    Connection c(store_->settings());
    QSqlQuery q = c.exec(QStringLiteral("SELECT password_hash FROM users"));
    while (q.next()) QVERIFY(q.value(0).toString().startsWith(QLatin1String("$argon2id$")));
    store_.reset();  // flush and close everything
    users_.reset();
    tautband::core::flushLogs();
    int filesChecked = 0;
    QDirIterator it(dir_->path(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
      QFile f(it.next());
      QVERIFY(f.open(QIODevice::ReadOnly));
      const QByteArray bytes = f.readAll();
      for (const QString& pw : {kAdminPassword, kTherapistPassword}) {
        QVERIFY2(!bytes.contains(pw.toUtf8()), qPrintable(f.fileName()));
        QVERIFY2(!bytes.contains(QByteArray(reinterpret_cast<const char*>(pw.utf16()), pw.size() * 2)), qPrintable(f.fileName()));
      }
      ++filesChecked;
    }
    QVERIFY(filesChecked >= 3);  // database, key files, head file (and the log)
    tautband::core::configureLogging({});
  }

 private:
  int countActions(const QString& action) {
    Connection c(store_->settings());
    QSqlQuery q = c.exec(QStringLiteral("SELECT COUNT(*) FROM audit_entries WHERE action = ?"), {action});
    return q.next() ? q.value(0).toInt() : -1;
  }

  std::unique_ptr<QTemporaryDir> dir_;
  std::atomic<std::int64_t> now_{0};
  std::unique_ptr<Store> store_;
  std::unique_ptr<UserDirectory> users_;
};

QTEST_GUILESS_MAIN(StoreAuthTest)
#include "test_store_auth.moc"
