// The clinical record API: a whole session written through it, crash
// recovery, needles reconciled before the session closes, sign-off making the
// note final (addenda only), every laser-dose field stored, and the GUI
// callback form delivering on the caller's thread.
#include "StoreTestUtil.h"

#include "store/AuditQuery.h"

#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QtTest>

using namespace tautband::store;
using namespace tautband::store::testing;

class StoreClinicalTest : public QObject {
  Q_OBJECT
 private slots:
  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    openStore();
    const UserRecord admin =
        store_->users().createFirstAdmin(QStringLiteral("admin"), QStringLiteral("A"), QStringLiteral("long-enough-pw")).get();
    therapist_ = store_->users()
                     .createUser(admin.actor(), QStringLiteral("thera"), QStringLiteral("T"), Role::Therapist,
                                 QStringLiteral("long-enough-pw"))
                     .get()
                     .actor();
    PatientDraft p;
    p.mrn = QStringLiteral("P-100");
    p.familyName = QStringLiteral("Doe");
    p.givenName = QStringLiteral("Jane");
    p.heightCm = 170;
    p.weightKg = 65;
    patient_ = store_->clinical().createPatient(therapist_, p).get();
  }
  void cleanup() {
    store_.reset();
    dir_.reset();
  }

  void aWholeSessionIsRecordedAndCloses() {
    auto& c = store_->clinical();
    c.recordScreening(therapist_, patient_, QJsonObject{{"pacemaker", false}, {"anticoagulants", true}},
                      QStringLiteral("screen-v1")).get();
    c.recordConsent(therapist_, patient_, std::nullopt, QStringLiteral("thoracic-needling"), QStringLiteral("consent-v1"),
                    true, QStringLiteral("patient")).get();
    const qint64 s = c.startSession(therapist_, patient_).get();
    const qint64 site = c.addSite(therapist_, s, QStringLiteral("upper-trapezius"), QStringLiteral("left"),
                                  QJsonObject{{"x", 0.42}, {"y", 0.18}}, QStringLiteral("lung-field"), 1000).get();
    c.recordPain(therapist_, s, site, QStringLiteral("before"), 7, 2000).get();
    const qint64 n = c.needleIn(therapist_, s, NeedleDraft{site, 30, 0.25, QStringLiteral("LOT-7781"),
                                                           QStringLiteral("pincer"), QStringLiteral("away-from-thorax"), 15},
                                3000).get();
    const qint64 ltr = c.recordLtr(therapist_, s, site, n, 3500, true, 120.5, QStringLiteral("ltr-1.0")).get();
    c.decideLtr(therapist_, ltr, true, 3600).get();
    // Ending with a needle still in is refused.
    QVERIFY_THROWS_EXCEPTION(StoreError, c.endSession(therapist_, s, 4000).get());
    QCOMPARE(c.needlesStillIn(s).get(), 1);
    c.needleOut(therapist_, n, true, 5000).get();
    LaserDose d;
    d.siteId = site;
    d.wavelengthNm = 808;
    d.mode = QStringLiteral("cw");
    d.measuredPowerMw = 100;
    d.timeS = 40;
    d.beamAreaCm2 = 0.5;
    d.points = 2;
    d.technique = QStringLiteral("contact");
    d.startedClockUs = 6000;
    d.endedClockUs = 46000;
    d.stopReason = QStringLiteral("dose-reached");
    const qint64 dose = c.recordLaserDose(therapist_, s, d).get();
    c.recordPain(therapist_, s, site, QStringLiteral("after"), 3, 50000).get();
    const qint64 note = c.addNote(therapist_, s, QStringLiteral("Tolerated well.")).get();
    c.endSession(therapist_, s, 60000).get();
    const std::int64_t signSeq = c.signOff(therapist_, s, QStringLiteral("long-enough-pw")).get();
    QVERIFY(signSeq > 0);

    Connection db(store_->settings());
    QSqlQuery q = db.exec(QStringLiteral("SELECT energy_j, fluence_j_cm2, irradiance_mw_cm2, wavelength_nm, mode, "
                                         "measured_power_mw, time_s, beam_area_cm2, points, technique, treatment_number "
                                         "FROM laser_doses WHERE id = ?"),
                          {dose});
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toDouble(), 8.0);    // 0.1 W x 40 s x 2 points
    QCOMPARE(q.value(1).toDouble(), 8.0);    // 4 J per point / 0.5 cm2
    QCOMPARE(q.value(2).toDouble(), 200.0);  // 100 mW / 0.5 cm2
    QCOMPARE(q.value(4).toString(), QStringLiteral("cw"));
    // A signed note cannot be edited or added to; an addendum can be added.
    QSqlQuery edit(db.db());
    QVERIFY(!edit.exec(QStringLiteral("UPDATE notes SET body = 'changed' WHERE id = %1").arg(note)));
    QVERIFY_THROWS_EXCEPTION(StoreError, c.addNote(therapist_, s, QStringLiteral("late")).get());
    c.addAddendum(therapist_, s, QStringLiteral("typo"), QStringLiteral("Tolerated very well.")).get();
    QVERIFY(!edit.exec(QStringLiteral("DELETE FROM addenda")));
    // Session end and sign-off each wrote a signed checkpoint; the whole trail verifies.
    QSqlQuery k = db.exec(QStringLiteral("SELECT COUNT(*) FROM audit_checkpoints WHERE reason IN ('session-end','sign-off')"));
    QVERIFY(k.next());
    QCOMPARE(k.value(0).toInt(), 2);
    auto reader = AuditReader::open(store_->settings());
    QVERIFY(verifyAuditTrail(*reader, optionsFor(*store_)).intact());
  }

  void aSignatureNeedsTheSignersPasswordAndIsNotALogin() {
    auto& c = store_->clinical();
    const qint64 s = c.startSession(therapist_, patient_).get();
    c.addNote(therapist_, s, QStringLiteral("Tolerated well.")).get();
    c.endSession(therapist_, s, 1000).get();
    // A wrong password signs nothing; it is a failed authentication for the sign-off.
    try {
      c.signOff(therapist_, s, QStringLiteral("not-my-password")).get();
      QFAIL("a wrong password signed the record");
    } catch (const SignatureRefused& refused) {
      QVERIFY(!refused.lockedOut());
      QCOMPARE(refused.status(), AuthResult::Status::WrongPassword);
    }
    QCOMPARE(sessionState(s), QStringLiteral("ended"));
    QCOMPARE(countActions(QStringLiteral("session.signed")), 0);
    const int loginsBefore = countActions(QStringLiteral("auth.ok"));
    const std::int64_t seq = c.signOff(therapist_, s, QStringLiteral("long-enough-pw")).get();
    QCOMPARE(sessionState(s), QStringLiteral("signed"));
    QCOMPARE(countActions(QStringLiteral("auth.ok")), loginsBefore);  // a signature is not a log-in
    QCOMPARE(countActions(QStringLiteral("auth.reauthenticated")), 1);
    Connection db(store_->settings());
    QSqlQuery q = db.exec(QStringLiteral("SELECT sequence, details FROM audit_entries WHERE action = 'auth.reauthenticated'"));
    QVERIFY(q.next());
    const qint64 reauth = q.value(0).toLongLong();
    QVERIFY(q.value(1).toString().contains(QLatin1String("\"sign-off\"")));
    QVERIFY(q.value(1).toString().contains(QStringLiteral("session:%1").arg(s)));
    q = db.exec(QStringLiteral("SELECT details FROM audit_entries WHERE sequence = ?"), {QVariant::fromValue<qint64>(seq)});
    QVERIFY(q.next());
    QVERIFY2(q.value(0).toString().contains(QStringLiteral("\"reauthentication\":%1").arg(reauth)),
             qPrintable(q.value(0).toString()));
    // A second sign-off of a signed record is refused even with the right password.
    QVERIFY_THROWS_EXCEPTION(StoreError, c.signOff(therapist_, s, QStringLiteral("long-enough-pw")).get());
  }

  void aSessionsNotesAndAddendaAreReadInOneAuditedCall() {
    auto& c = store_->clinical();
    const qint64 s = c.startSession(therapist_, patient_).get();
    const QString hostile = QStringLiteral("'); DROP TABLE notes;-- <b>x</b> \u202Eשלום\u202C 😀");
    c.addNote(therapist_, s, QStringLiteral("first")).get();
    c.addNote(therapist_, s, hostile).get();
    SessionNotes before = c.readSessionNotes(therapist_, s).get();
    QCOMPARE(before.notes.size(), std::size_t{2});
    QCOMPARE(before.notes[1].body, hostile);
    QCOMPARE(before.notes[0].author, QStringLiteral("T"));
    QVERIFY(!before.signedBy);
    QVERIFY(before.addenda.empty());
    c.endSession(therapist_, s, 1000).get();
    c.signOff(therapist_, s, QStringLiteral("long-enough-pw")).get();
    c.addAddendum(therapist_, s, QStringLiteral("typo"), QStringLiteral("left, not right")).get();
    const SessionNotes after = c.readSessionNotes(therapist_, s).get();
    QCOMPARE(after.notes.size(), std::size_t{2});
    QCOMPARE(after.signedBy.value_or(QString()), QStringLiteral("T"));
    QVERIFY(after.signedUs > 0);
    QCOMPARE(after.addenda.size(), std::size_t{1});
    QCOMPARE(after.addenda[0].reason, QStringLiteral("typo"));
    QCOMPARE(after.addenda[0].body, QStringLiteral("left, not right"));
    QCOMPARE(countActions(QStringLiteral("note.read")), 2);
    // Reading is a patient-record read: a vendor may not, and the refusal is audited.
    const Actor vendor = store_->users().createUser(Actor::system(), QStringLiteral("vend"), QStringLiteral("V"),
                                                    Role::VendorService, QStringLiteral("long-enough-pw")).get().actor();
    const int deniedBefore = countActions(QStringLiteral("access.denied"));
    QVERIFY_THROWS_EXCEPTION(PermissionDenied, c.readSessionNotes(vendor, s).get());
    QCOMPARE(countActions(QStringLiteral("note.read")), 2);
    QTRY_COMPARE(countActions(QStringLiteral("access.denied")), deniedBefore + 1);
    QVERIFY_THROWS_EXCEPTION(StoreError, c.readSessionNotes(therapist_, s + 1000).get());
  }

  void anUnfinishedSessionReopensAfterACrash() {
    const qint64 s = store_->clinical().startSession(therapist_, patient_).get();
    store_->clinical().recordPain(therapist_, s, std::nullopt, QStringLiteral("before"), 5, 77000).get();
    store_.reset();  // the console goes away mid-session
    openStore();
    const auto open = store_->clinical().unfinishedSessions().get();
    QCOMPARE(open.size(), std::size_t{1});
    QCOMPARE(open[0].id, s);
    const SessionInfo recovered = store_->clinical().recoverSession(therapist_, s).get();
    QCOMPARE(recovered.state, QStringLiteral("paused"));
    QCOMPARE(recovered.lastClockUs, std::int64_t{77000});  // the clock resumes where the record stopped
    store_->clinical().resumeSession(therapist_, s, 78000).get();
    store_->clinical().endSession(therapist_, s, 90000).get();
    QVERIFY(store_->clinical().unfinishedSessions().get().empty());
  }

  void theAuditScreenFiltersAndIsAudited() {
    const qint64 s = store_->clinical().startSession(therapist_, patient_).get();
    store_->audit().append({therapist_.login, therapist_.role, QStringLiteral("safety.refused"),
                            QStringLiteral("session:%1").arg(s), QJsonObject{{"rule", QStringLiteral("LUNG-LEN-1")}}, 1}).get();
    store_->audit().append({QStringLiteral("other"), QStringLiteral("therapist"), QStringLiteral("safety_refusedX"),
                            QStringLiteral("x"), {}, std::nullopt}).get();
    QVERIFY_THROWS_EXCEPTION(PermissionDenied, queryAudit(store_->writer(), therapist_, {}).get());
    const Actor manager = store_->users().createUser(Actor::system(), QStringLiteral("boss"), QStringLiteral("B"),
                                                     Role::Manager, QStringLiteral("long-enough-pw")).get().actor();
    AuditQuery q;
    q.actionPrefixes = {QStringLiteral("safety.")};  // the '.' is literal, not a wildcard
    auto rows = queryAudit(store_->writer(), manager, q).get();
    QCOMPARE(rows.size(), std::size_t{1});
    QCOMPARE(rows[0].action, QStringLiteral("safety.refused"));
    QCOMPARE(rows[0].sessionClockUs.value_or(-1), 1);
    q = {};
    q.actor = therapist_.login;
    q.subject = QStringLiteral("session:%1").arg(s);
    rows = queryAudit(store_->writer(), manager, q).get();
    QCOMPARE(rows.size(), std::size_t{2});  // session.started + safety.refused, newest first
    QCOMPARE(rows[0].action, QStringLiteral("safety.refused"));
    q = {};
    q.actionPrefixes = {QStringLiteral("audit.viewed")};
    QCOMPARE(queryAudit(store_->writer(), manager, q).get().size(), std::size_t{2});  // the two views before this one
    const VerifyReport badge = verifyInBackground(store_->settings(), optionsFor(*store_)).get();
    QVERIFY(badge.intact());
  }

  void callbacksArriveOnTheCallersThread() {
    QObject receiver;
    bool called = false;
    QThread* callbackThread = nullptr;
    Outcome<std::int64_t> outcome;
    store_->writer().submit([](WriteTransaction& tx) { return tx.audit(draft(QStringLiteral("gui.test"))); }, &receiver,
                            [&](const Outcome<std::int64_t>& o) {
                              called = true;
                              callbackThread = QThread::currentThread();
                              outcome = o;
                            });
    QTRY_VERIFY(called);
    QCOMPARE(callbackThread, QThread::currentThread());
    QVERIFY(outcome.ok());
    bool failed = false;
    store_->writer().submit([](WriteTransaction& tx) { tx.exec(QStringLiteral("SELECT * FROM nope")); }, &receiver,
                            [&](const Outcome<std::monostate>& o) { failed = !o.ok() && !o.error.isEmpty(); });
    QTRY_VERIFY(failed);
  }

 private:
  QString sessionState(qint64 session) {
    Connection db(store_->settings());
    QSqlQuery q = db.exec(QStringLiteral("SELECT state FROM sessions WHERE id = ?"), {session});
    return q.next() ? q.value(0).toString() : QString();
  }
  int countActions(const QString& action) {
    Connection db(store_->settings());
    QSqlQuery q = db.exec(QStringLiteral("SELECT COUNT(*) FROM audit_entries WHERE action = ?"), {action});
    return q.next() ? q.value(0).toInt() : -1;
  }
  void openStore() { store_ = Store::open(sqliteSettings(*dir_), PasswordPolicy::minimumForTests()); }
  std::unique_ptr<QTemporaryDir> dir_;
  std::unique_ptr<Store> store_;
  Actor therapist_;
  qint64 patient_ = 0;
};

QTEST_GUILESS_MAIN(StoreClinicalTest)
#include "test_store_clinical.moc"
