// FaultMailbox: how raised faults reach the supervisor thread without a heap
// allocation or a queued Qt event.
#include "CountingAllocator.h"

#include "supervisor/FaultMailbox.h"

#include <QTest>

#include <poll.h>
#include <thread>

using namespace tautband;
using safety::FaultReason;
using supervisor::FaultMailbox;

namespace {

bool readable(int fd, int timeoutMs) {
  pollfd pfd{fd, POLLIN, 0};
  return ::poll(&pfd, 1, timeoutMs) == 1 && (pfd.revents & POLLIN);
}

}  // namespace

class FaultMailboxTest : public QObject {
  Q_OBJECT

 private slots:
  void aPostedFaultWakesTheReaderAndArrivesWhole() {
    FaultMailbox box;
    QVERIFY(box.fd() >= 0);
    QVERIFY(!readable(box.fd(), 0));
    const QString detail = QStringLiteral("rule DN-LUNG-LENGTH changed");
    std::thread raiser([&] { box.post(FaultReason::RuleChanged, detail, 1234); });
    raiser.join();
    QVERIFY(readable(box.fd(), 1000));
    FaultMailbox::Batch batch;
    QCOMPARE(box.take(batch), std::size_t{1});
    QCOMPARE(batch[0].reason, FaultReason::RuleChanged);
    QCOMPARE(batch[0].detail, detail);
    QCOMPARE(batch[0].raisedNs, std::int64_t{1234});
    // Taken: nothing left, and the descriptor no longer wakes anyone.
    QVERIFY(!readable(box.fd(), 0));
    QCOMPARE(box.take(batch), std::size_t{0});
  }

  void faultsArriveOldestFirstAndAFullBoxCountsTheRest() {
    FaultMailbox box;
    for (std::size_t i = 0; i < FaultMailbox::kCapacity + 3; ++i) {
      const bool kept = box.post(FaultReason::DeviceFault, QString::number(i), static_cast<std::int64_t>(i));
      QCOMPARE(kept, i < FaultMailbox::kCapacity);
    }
    QCOMPARE(box.overflowed(), std::uint64_t{3});
    FaultMailbox::Batch batch;
    QCOMPARE(box.take(batch), FaultMailbox::kCapacity);
    for (std::size_t i = 0; i < FaultMailbox::kCapacity; ++i) QCOMPARE(batch[i].detail, QString::number(i));
    // Room again after a take.
    QVERIFY(box.post(FaultReason::LinkLost, QString(), 99));
  }

  void postingAllocatesNothing() {
    FaultMailbox box;
    const QString detail = QStringLiteral("a detail made before the fault");
    box.post(FaultReason::RuleChanged, detail, 1);  // first use of every slot path
    FaultMailbox::Batch batch;
    box.take(batch);
    const auto before = test::allocationsOnThisThread;
    for (int i = 0; i < 8; ++i) box.post(FaultReason::RuleChanged, detail, i);
    QCOMPARE(test::allocationsOnThisThread, before);
  }
};

QTEST_GUILESS_MAIN(FaultMailboxTest)
#include "test_fault_mailbox.moc"
