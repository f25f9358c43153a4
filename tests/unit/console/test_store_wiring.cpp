// The console's wiring into the store: safety decisions and supervisor events land in the
// audit hash chain with the acting user and the session; the needling page's record lands
// in the clinical tables; what cannot be stored is kept in the audit trail and reported.
#include "../store/StoreTestUtil.h"
#include "console/AuditContext.h"
#include "console/StoreNeedlingRecord.h"
#include "console/StoreSafetyAudit.h"
#include "anatomy/Atlas.h"
#include "safety/AuditedSafety.h"
#include "store/AuditForwarder.h"
#include "store/AuditReader.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>

using namespace tautband;
using namespace tautband::store::testing;

namespace {

class RefusingSink : public store::AuditSink {
 public:
  std::future<std::int64_t> append(store::AuditEntryDraft) override {
    std::promise<std::int64_t> p;
    p.set_exception(std::make_exception_ptr(std::runtime_error("database or disk is full")));
    return p.get_future();
  }
};

std::vector<store::AuditRecord> auditRows(const store::StoreSettings& settings, const std::string& actionPrefix) {
  auto reader = store::AuditReader::open(settings);
  reader->start(std::nullopt);
  std::vector<store::AuditRecord> rows;
  store::AuditRecord row;
  while (reader->next(row))
    if (row.action.rfind(actionPrefix, 0) == 0) rows.push_back(row);
  return rows;
}

QJsonObject detailsOf(const store::AuditRecord& row) {
  return QJsonDocument::fromJson(QByteArray::fromStdString(row.details)).object();
}

}  // namespace

class TestStoreWiring : public QObject {
  Q_OBJECT
 private slots:
  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    store_ = store::Store::open(sqliteSettings(*dir_));
    const auto admin = store_->users()
                           .createFirstAdmin(QStringLiteral("admin"), QStringLiteral("A"), QStringLiteral("long-enough-pw"))
                           .get();
    therapist_ = store_->users()
                     .createUser(admin.actor(), QStringLiteral("thera"), QStringLiteral("T"), store::Role::Therapist,
                                 QStringLiteral("long-enough-pw"))
                     .get()
                     .actor();
    store::PatientDraft p;
    p.mrn = QStringLiteral("P-7");
    p.familyName = QStringLiteral("Doe");
    p.givenName = QStringLiteral("Jane");
    patient_ = store_->clinical().createPatient(therapist_, p).get();
    session_ = store_->clinical().startSession(therapist_, patient_).get();
    trail_ = std::make_unique<store::AuditForwarder>(nullptr);
    trail_->attach(std::shared_ptr<store::AuditSink>(store_, &store_->audit()));
  }
  void cleanup() {
    trail_.reset();
    store_.reset();
    dir_.reset();
  }

  void aSafetyDecisionIsInTheChainWithUserAndSession() {
    console::AuditContext context;
    context.setActor(therapist_);
    context.setSession(session_, patient_);
    core::SessionClock clock;
    console::StoreSafetyAudit audit(*trail_, context, clock);

    safety::SafetyAuditRecord refusal;
    refusal.kind = safety::SafetyAuditRecord::Kind::Refusal;
    refusal.userId = "thera";
    refusal.level = safety::Level::Refuse;
    refusal.ruleIds = {"LUNG-BILATERAL-1"};
    refusal.reason = "second side of the thorax within 24 h";
    audit.record(refusal);
    audit.supervisorEvent(QStringLiteral("laser.fault"), {{"reason", "link lost"}, {"emission_off_written", true}});
    trail_->drain();

    const auto refused = auditRows(store_->settings(), "safety.refused");
    QCOMPARE(refused.size(), std::size_t{1});
    QCOMPARE(refused[0].actor, std::string("thera"));
    QCOMPARE(refused[0].role, std::string("therapist"));
    QCOMPARE(refused[0].subject, "session:" + std::to_string(session_));
    QVERIFY(refused[0].sessionClockUs.has_value());
    const auto details = detailsOf(refused[0]);
    QCOMPARE(details.value(QStringLiteral("session_id")).toInteger(), session_);
    QVERIFY2(QString::fromStdString(refused[0].details).contains(QStringLiteral("LUNG-BILATERAL-1")),
             refused[0].details.c_str());

    const auto faults = auditRows(store_->settings(), "laser.fault");
    QCOMPARE(faults.size(), std::size_t{1});
    QCOMPARE(faults[0].actor, std::string("thera"));
    QVERIFY(detailsOf(faults[0]).value(QStringLiteral("emission_off_written")).toBool());

    // Nobody logged in: the console itself is the actor, never an empty name.
    context.setActor(std::nullopt);
    context.setSession(std::nullopt, std::nullopt);
    audit.supervisorEvent(QStringLiteral("laser.link_attached"), {});
    trail_->drain();
    const auto attached = auditRows(store_->settings(), "laser.link_attached");
    QCOMPARE(attached.size(), std::size_t{1});
    QCOMPARE(attached[0].actor, std::string("system"));
    QCOMPARE(attached[0].subject, std::string("console"));
  }

  void afterAnAuditFailureNoDecisionIsMade() {
    store::AuditForwarder failing(nullptr);
    failing.attach(std::make_shared<RefusingSink>());
    console::AuditContext context;
    core::SessionClock clock;
    console::StoreSafetyAudit audit(failing, context, clock);
    safety::SafetyAuditRecord evaluation;
    audit.record(evaluation);  // accepted: the failure is not known yet
    failing.drain();
    QVERIFY(!failing.healthy());
    QVERIFY_THROWS_EXCEPTION(safety::SafetyActionError, audit.record(evaluation));
  }

  void theNeedlingRecordLandsInTheClinicalTables() {
    console::AuditContext context;
    context.setActor(therapist_);
    context.setSession(session_, patient_);
    console::StoreNeedlingRecord record(anatomy::Atlas::builtin(), context, *trail_);
    QVERIFY(!record.persistent());  // no store yet
    record.attach(store_);
    QVERIFY(record.persistent());

    const QVariantMap needle{{"no", 1},          {"site", "Upper trapezius (left)"}, {"regionId", "upper_trapezius_left"},
                             {"lengthMm", 30.0},                {"gaugeMm", 0.25},
                             {"lot", "LOT-42"},  {"technique", "pincer"},           {"direction", "caudal"}};
    record.needleIn(1, needle, 1'000'000);
    record.ltr({{"id", 7}, {"onsetS", 2.0}, {"peakUv", 180.0}, {"status", "pending"}, {"manual", false},
                {"site", "Upper trapezius (left)"}});
    record.ltr({{"id", 7}, {"onsetS", 2.0}, {"peakUv", 180.0}, {"status", "confirmed"}, {"manual", false},
                {"site", "Upper trapezius (left)"}});
    record.ltr({{"id", 8}, {"onsetS", 3.0}, {"peakUv", 90.0}, {"status", "rejected"}, {"manual", false},
                {"site", "Upper trapezius (left)"}});
    record.ltr({{"id", 0}, {"onsetS", 4.0}, {"status", "confirmed"}, {"manual", true}, {"site", "Upper trapezius (left)"}});
    record.pain(QStringLiteral("after"), 3, 5'000'000);
    record.adverseEvent(QStringLiteral("bruising"), QStringLiteral("mild"), QStringLiteral("small haematoma"), 6'000'000);
    record.note(QStringLiteral("insertion/redirection"), 1'500'000);
    record.needleOut(1, true, 7'000'000);
    record.drain();
    trail_->drain();

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
    db.setDatabaseName(QString::fromStdString(store_->settings().sqlitePath.string()));
    QVERIFY(db.open());
    {
      auto scalar = [&db](const QString& sql) {
        QSqlQuery q(db);
        q.exec(sql);
        return q.next() ? q.value(0) : QVariant();
      };
      const QString s = QString::number(session_);
      QCOMPARE(scalar("SELECT muscle || '/' || side FROM sites WHERE session_id = " + s).toString(),
               QStringLiteral("upper_trapezius/left"));
      QCOMPARE(scalar("SELECT lot || '/' || removed_intact FROM needles WHERE session_id = " + s).toString(),
               QStringLiteral("LOT-42/1"));
      QCOMPARE(scalar("SELECT COUNT(*) FROM ltr_events WHERE source = 'auto' AND status = 'confirmed' AND session_id = " + s).toInt(), 1);
      QCOMPARE(scalar("SELECT COUNT(*) FROM ltr_events WHERE source = 'auto' AND status = 'rejected' AND session_id = " + s).toInt(), 1);
      QCOMPARE(scalar("SELECT COUNT(*) FROM ltr_events WHERE source = 'manual' AND session_id = " + s).toInt(), 1);
      QCOMPARE(scalar("SELECT COUNT(*) FROM ltr_events WHERE site_id IS NOT NULL AND session_id = " + s).toInt(), 3);
      QCOMPARE(scalar("SELECT nprs FROM pain_scores WHERE moment = 'after' AND session_id = " + s).toInt(), 3);
      QCOMPARE(scalar("SELECT kind FROM adverse_events WHERE session_id = " + s).toString(), QStringLiteral("bruising"));
    }
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
    QCOMPARE(auditRows(store_->settings(), "needling.event").size(), std::size_t{1});
    QCOMPARE(auditRows(store_->settings(), "needling.unsaved").size(), std::size_t{0});
    // With every needle out the store lets the session end.
    store_->clinical().endSession(therapist_, session_, 8'000'000).get();
  }

  void whatCannotBeStoredIsKeptInTheAuditTrailAndReported() {
    console::AuditContext context;
    context.setActor(therapist_);  // logged in, but no session open
    console::StoreNeedlingRecord record(anatomy::Atlas::builtin(), context, *trail_);
    record.attach(store_);
    QVERIFY(!record.persistent());
    QSignalSpy failed(&record, &console::StoreNeedlingRecord::failed);
    // The detector's own events outside a session are information only: not an error.
    record.ltr({{"id", 3}, {"onsetS", 1.0}, {"status", "pending"}, {"manual", false}, {"site", "no site"}});
    record.needleIn(1, {{"site", "Rhomboid major (right)"}, {"lot", "LOT-'); DROP TABLE needles;--"}}, 10);
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("no session")));

    // A store error (here: a needle with no lot) is reported the same way, content kept.
    context.setSession(session_, patient_);
    record.needleIn(2, {{"site", "Rhomboid major (right)"}, {"regionId", "rhomboids_right"}, {"lot", ""},
                        {"lengthMm", 25.0}, {"gaugeMm", 0.25}, {"technique", "flat"}, {"direction", "lateral"}},
                    20);
    record.drain();
    QTRY_COMPARE(failed.count(), 2);
    QVERIFY2(failed.at(1).at(0).toString().contains(QStringLiteral("lot")), qPrintable(failed.at(1).at(0).toString()));
    trail_->drain();
    const auto unsaved = auditRows(store_->settings(), "needling.unsaved");
    QCOMPARE(unsaved.size(), std::size_t{2});
    QVERIFY(QString::fromStdString(unsaved[0].details).contains(QStringLiteral("DROP TABLE needles")));
    QCOMPARE(unsaved[1].subject, "session:" + std::to_string(session_));
  }

 private:
  std::unique_ptr<QTemporaryDir> dir_;
  std::shared_ptr<store::Store> store_;
  std::unique_ptr<store::AuditForwarder> trail_;
  store::Actor therapist_;
  qint64 patient_ = 0;
  qint64 session_ = 0;
};

QTEST_GUILESS_MAIN(TestStoreWiring)
#include "test_store_wiring.moc"
