// "No session" is decided once on each side, over a real store as the console wires it
// (StoreSafetyAudit, StoreNeedlingRecord, NeedlingModel):
//  - the needling page records nothing without a ClinicalContext session: a tap on Insert
//    (or pain, a manual LTR, an adverse event) says "Start a session first", nothing reaches
//    the store, and the insertion's safety decision is audited as refused like every refusal;
//  - the amplifier's detector keeps running without a session: its LTRs reach the record,
//    and StoreNeedlingRecord alone treats them as information (no error, no 'unsaved' entry);
//    once a session is open the same events are stored.
#include "NeedlingTestSupport.h"
#include "anatomy/Atlas.h"
#include "console/AuditContext.h"
#include "console/StoreNeedlingRecord.h"
#include "console/StoreSafetyAudit.h"
#include "core/SessionClock.h"
#include "safety/AuditedSafety.h"
#include "safety/ClinicSettings.h"
#include "safety/RuleTable.h"
#include "store/AuditForwarder.h"
#include "store/AuditReader.h"
#include "store/Store.h"
#include "ui/NeedlingModel.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace tautband;

namespace {

// A fresh SQLite store with a therapist, one patient and that patient's open session, and the
// console's needling side on it: the audit trail, the needling record and the page's model.
struct Console {
  QTemporaryDir dir;
  std::shared_ptr<store::Store> store;
  store::Actor therapist;
  qint64 patientId = 0;
  qint64 sessionId = 0;
  store::AuditForwarder trail{nullptr};
  console::AuditContext context;
  core::SessionClock clock;
  console::StoreSafetyAudit audit{trail, context, clock};
  safety::Evaluator evaluator{anatomy::Atlas::builtin(), safety::RuleTable::builtin(), safety::defaultClinicSettings()};
  safety::AuditedSafety safety{evaluator, audit};
  console::StoreNeedlingRecord record{anatomy::Atlas::builtin(), context, trail};
  ui::NeedlingModel model{safety, evaluator, clock, record, nullptr, nullptr, [] { return ui::AmplifierInfo{}; }};

  Console() {
    store = store::Store::open(store::StoreSettings::fromLocation(dir.filePath(QStringLiteral("tautband.db")),
                                                                  std::filesystem::path(dir.path().toStdString())),
                               store::PasswordPolicy::minimumForTests());
    const auto admin =
        store->users().createFirstAdmin(QStringLiteral("admin"), QStringLiteral("A"), QStringLiteral("long-enough-pw")).get();
    therapist = store->users()
                    .createUser(admin.actor(), QStringLiteral("therapist.anna"), QStringLiteral("Anna"),
                                store::Role::Therapist, QStringLiteral("long-enough-pw"))
                    .get()
                    .actor();
    store::PatientDraft p;
    p.mrn = QStringLiteral("P-1");
    p.familyName = QStringLiteral("Doe");
    p.givenName = QStringLiteral("Jane");
    patientId = store->clinical().createPatient(therapist, p).get();
    sessionId = store->clinical().startSession(therapist, patientId).get();
    trail.attach(std::shared_ptr<store::AuditSink>(store, &store->audit()));
    record.attach(store);
    context.setActor(therapist);  // logged in; the session is opened (or not) by each test
  }
  ~Console() { settle(); }

  // What ClinicalContext gives the page: the logged-in therapist, and the patient only with
  // an open session.
  void openSession() {
    context.setSession(sessionId, patientId);
    testsupport::ScreenedCase screened;
    screened.sessionId = sessionId;
    auto inputs = screened.inputs();
    inputs.patient->patientId = patientId;
    model.setCaseInputs(inputs);
  }
  void loggedInWithoutASession() {
    context.setSession(std::nullopt, std::nullopt);
    ui::CaseInputs inputs = testsupport::ScreenedCase{}.inputs();
    inputs.patient.reset();
    inputs.sessionId = 0;
    model.setCaseInputs(inputs);
  }

  void settle() {
    record.drain();
    trail.drain();
  }
  std::size_t auditRows(const std::string& action) {
    settle();
    auto reader = store::AuditReader::open(store->settings());
    reader->start(std::nullopt);
    std::size_t n = 0;
    store::AuditRecord row;
    while (reader->next(row)) n += row.action == action;
    return n;
  }
  int rows(const QString& table) {
    settle();
    return store->writer().run([table](store::WriteTransaction& tx) {
      QSqlQuery q = tx.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(table), {});
      return q.next() ? q.value(0).toInt() : -1;
    });
  }
};

QVariantMap detectedLtr(qint64 id, double onsetS) {
  return {{"id", id},        {"onsetS", onsetS},     {"peakUv", 150.0}, {"channel", 1},
          {"status", "pending"}, {"manual", false}, {"site", QStringLiteral("Quadriceps (right)")}};
}

}  // namespace

class NeedlingSessionGateTest : public QObject {
  Q_OBJECT
 private slots:
  void insertWithoutASessionIsRefusedInWordsAndAudited() {
    Console c;
    c.loggedInWithoutASession();
    QSignalSpy failed(&c.record, &console::StoreNeedlingRecord::failed);
    c.model.selectRegion(QStringLiteral("quadriceps_right"));
    c.model.setNeedleLot(QStringLiteral("LOT-1"));
    const auto refusedBefore = c.auditRows("safety.refused");

    QVERIFY(!c.model.insertNeedle());
    QVERIFY2(c.model.message().contains(QStringLiteral("Start a session first")), qPrintable(c.model.message()));
    QCOMPARE(c.model.needlesIn(), 0);
    QCOMPARE(c.rows(QStringLiteral("needles")), 0);
    QCOMPARE(c.auditRows("safety.refused"), refusedBefore + 1);  // like every refused insertion

    // Nothing else the therapist records is taken either, and nothing is an 'unsaved' error.
    c.model.setPain(QStringLiteral("before"), 6);
    QVERIFY(c.model.message().contains(QStringLiteral("Start a session first")));
    QCOMPARE(c.model.painBefore(), -1);
    c.model.addManualLtr();
    QCOMPARE(c.model.ltrs().size(), 0);
    c.model.addAdverseEvent(QStringLiteral("bruising"), QStringLiteral("mild"), QString());
    QCOMPARE(c.model.adverseEvents().size(), 0);
    QCOMPARE(c.rows(QStringLiteral("pain_scores")), 0);
    QCOMPARE(c.rows(QStringLiteral("ltr_events")), 0);
    QCOMPARE(c.auditRows("needling.unsaved"), std::size_t{0});
    QCOMPARE(failed.count(), 0);

    // The same tap in a session is recorded.
    c.openSession();
    QVERIFY2(c.model.insertNeedle(), qPrintable(c.model.message()));
    QCOMPARE(c.rows(QStringLiteral("needles")), 1);
    QCOMPARE(failed.count(), 0);
  }

  void detectorLtrsWithoutASessionAreInformationNotErrors() {
    Console c;
    c.loggedInWithoutASession();
    QSignalSpy failed(&c.record, &console::StoreNeedlingRecord::failed);
    c.record.ltr(detectedLtr(1, 1.0));
    c.record.ltr(detectedLtr(2, 2.0));
    QCOMPARE(c.rows(QStringLiteral("ltr_events")), 0);
    QCOMPARE(c.auditRows("needling.unsaved"), std::size_t{0});
    QTest::qWait(50);  // a failure would be queued to this thread
    QCOMPARE(failed.count(), 0);

    // In a session the detector's events are the session's record.
    c.openSession();
    c.model.selectRegion(QStringLiteral("quadriceps_right"));
    c.model.setNeedleLot(QStringLiteral("LOT-1"));
    QVERIFY2(c.model.insertNeedle(), qPrintable(c.model.message()));
    c.record.ltr(detectedLtr(3, 3.0));
    QCOMPARE(c.rows(QStringLiteral("ltr_events")), 1);
    QTest::qWait(50);
    QCOMPARE(failed.count(), 0);
  }
};

QTEST_MAIN(NeedlingSessionGateTest)
#include "test_needling_session_gate.moc"
