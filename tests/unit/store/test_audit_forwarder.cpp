// The console's path into the audit trail: ordered, never blocking on disk, nothing lost
// before the store opens, and a failure reported (the console turns emission off on it).
#include "StoreTestUtil.h"
#include "store/AuditForwarder.h"
#include "store/AuditReader.h"

#include <QtTest>

#include <atomic>
#include <stdexcept>
#include <thread>

using namespace tautband::store;
using namespace tautband::store::testing;

namespace {

std::vector<std::string> actionsIn(const StoreSettings& settings) {
  auto reader = AuditReader::open(settings);
  reader->start(std::nullopt);
  std::vector<std::string> actions;
  AuditRecord row;
  while (reader->next(row)) actions.push_back(row.action);
  return actions;
}

// A store that refuses every entry, as a full disk or a lost clinic server would.
class RefusingSink : public AuditSink {
 public:
  std::future<std::int64_t> append(AuditEntryDraft) override {
    ++calls;
    std::promise<std::int64_t> p;
    p.set_exception(std::make_exception_ptr(std::runtime_error("disk I/O error")));
    return p.get_future();
  }
  std::atomic<int> calls{0};
};

std::shared_ptr<AuditSink> sinkOf(const std::shared_ptr<Store>& store) {
  return std::shared_ptr<AuditSink>(store, &store->audit());
}

}  // namespace

class TestAuditForwarder : public QObject {
  Q_OBJECT
 private slots:
  void entriesPostedBeforeTheStoreOpensArriveFirstAndInOrder() {
    QTemporaryDir dir;
    std::atomic<int> failures{0};
    AuditForwarder trail([&](const QString&) { ++failures; });
    for (int i = 0; i < 5; ++i) trail.post(draft(QStringLiteral("early.%1").arg(i)));
    QCOMPARE(trail.pending(), std::size_t{5});  // held, not lost

    std::shared_ptr<Store> store = Store::open(sqliteSettings(dir));
    trail.attach(sinkOf(store));
    trail.post(draft(QStringLiteral("late.0")));
    trail.drain();
    QCOMPARE(trail.pending(), std::size_t{0});
    QVERIFY(trail.healthy());
    QCOMPARE(failures.load(), 0);

    const auto actions = actionsIn(store->settings());
    const std::vector<std::string> expected{"early.0", "early.1", "early.2", "early.3", "early.4", "late.0"};
    // The store may add its own entries (checkpoints are separate rows); ours keep their order.
    std::vector<std::string> ours;
    for (const auto& a : actions)
      if (a.rfind("early.", 0) == 0 || a.rfind("late.", 0) == 0) ours.push_back(a);
    QCOMPARE(ours, expected);
  }

  void manyThreadsPostWithoutLossAndTheChainVerifies() {
    QTemporaryDir dir;
    std::shared_ptr<Store> store = Store::open(sqliteSettings(dir));
    AuditForwarder trail(nullptr);
    trail.attach(sinkOf(store));
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&trail, t] {
        for (int i = 0; i < 250; ++i) trail.post(draft(QStringLiteral("thread%1.%2").arg(t).arg(i)));
      });
    }
    for (auto& t : threads) t.join();
    trail.drain();
    QVERIFY(trail.healthy());
    // Each thread's entries keep that thread's order.
    const auto actions = actionsIn(store->settings());
    for (int t = 0; t < 4; ++t) {
      int next = 0;
      const std::string prefix = "thread" + std::to_string(t) + ".";
      for (const auto& a : actions) {
        if (a.rfind(prefix, 0) != 0) continue;
        QCOMPARE(a, prefix + std::to_string(next));
        ++next;
      }
      QCOMPARE(next, 250);
    }
    store->writer().checkpoint(QStringLiteral("test")).get();
    auto reader = AuditReader::open(store->settings());
    const auto report = verifyAuditTrail(*reader, optionsFor(*store));
    QVERIFY2(report.intact(), qPrintable(report.toText()));
  }

  void aFailedEntryIsReportedAndMarksTheTrailUnhealthy() {
    auto refusing = std::make_shared<RefusingSink>();
    std::atomic<int> failures{0};
    QString reason;
    std::mutex m;
    AuditForwarder trail([&](const QString& why) {
      std::lock_guard lock(m);
      reason = why;
      ++failures;
    });
    trail.attach(refusing);
    trail.post(draft(QStringLiteral("safety.evaluated")));
    trail.post(draft(QStringLiteral("laser.emission_on")));
    trail.drain();
    QCOMPARE(refusing->calls.load(), 2);
    QCOMPARE(failures.load(), 2);  // one report per entry that is not in the trail
    QVERIFY(!trail.healthy());
    std::lock_guard lock(m);
    QVERIFY2(reason.contains(QStringLiteral("disk I/O error")), qPrintable(reason));
    QVERIFY(trail.lastFailure().contains(QStringLiteral("disk I/O error")));
  }

  void aStoreThatWillNotOpenFailsWhatWasHeld() {
    std::atomic<int> failures{0};
    AuditForwarder trail([&](const QString&) { ++failures; });
    trail.post(draft(QStringLiteral("a")));
    trail.post(draft(QStringLiteral("b")));
    QVERIFY(trail.healthy());
    trail.abandon(QStringLiteral("database is locked"));
    trail.drain();
    QCOMPARE(failures.load(), 2);
    QVERIFY(!trail.healthy());
    QCOMPARE(trail.lastFailure(), QStringLiteral("database is locked"));
    trail.post(draft(QStringLiteral("c")));  // after: reported too, never queued forever
    trail.drain();
    QCOMPARE(failures.load(), 3);
    QCOMPARE(trail.pending(), std::size_t{0});
  }

  void tooManyHeldEntriesAreReportedNotSilentlyDropped() {
    std::atomic<int> failures{0};
    AuditForwarder trail([&](const QString&) { ++failures; }, 3);
    for (int i = 0; i < 5; ++i) trail.post(draft(QStringLiteral("x%1").arg(i)));
    QCOMPARE(trail.pending(), std::size_t{3});
    QCOMPARE(failures.load(), 2);
    QVERIFY(!trail.healthy());
  }

  void aHandlerThatPostsAFailingEntryDoesNotRecurse() {
    std::atomic<int> calls{0};
    AuditForwarder* self = nullptr;
    AuditForwarder trail(
        [&](const QString&) {
          ++calls;
          self->post(draft(QStringLiteral("emergency.stop")));  // fails again: over the limit
        },
        0);
    self = &trail;
    trail.post(draft(QStringLiteral("first")));
    QCOMPARE(calls.load(), 1);
  }

  void replacingTheHandlerStopsFurtherCalls() {
    auto refusing = std::make_shared<RefusingSink>();
    std::atomic<int> calls{0};
    AuditForwarder trail([&](const QString&) { ++calls; });
    trail.setFailureHandler({});
    trail.attach(refusing);
    trail.post(draft(QStringLiteral("a")));
    trail.drain();
    QCOMPARE(calls.load(), 0);
    QVERIFY(!trail.healthy());
  }
};

QTEST_GUILESS_MAIN(TestAuditForwarder)
#include "test_audit_forwarder.moc"
