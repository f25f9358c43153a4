// The link's parts that need no device: the locked write path, the safety
// path, the native codec, health counters and capacity figures.
#include "devices/link/DeviceLink.h"
#include "devices/link/LinkWriter.h"
#include "devices/link/SafetyWritePath.h"
#include "devices/link/SerialTransport.h"
#include "devices/native/NativeCodec.h"

#include <QTest>

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace tautband::devices;

namespace {

struct Pipe {
  int fds[2] = {-1, -1};
  Pipe() {
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) qFatal("pipe2 failed");
  }
  ~Pipe() {
    ::close(fds[0]);
    ::close(fds[1]);
  }
  std::vector<std::uint8_t> readAll() const {
    std::vector<std::uint8_t> bytes(1 << 20);
    const auto n = ::read(fds[0], bytes.data(), bytes.size());
    bytes.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return bytes;
  }
};

// The kernel's effective priority of a thread of this process (field 18 of
// /proc/<pid>/task/<tid>/stat): 120 + nice maps to nice's 20 + nice; a
// SCHED_FIFO priority p shows as -1 - p.
int effectivePriority(pid_t tid) {
  std::ifstream stat("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  for (int i = 3; i <= 18 && fields >> field; ++i) {
    if (i == 18) return std::stoi(field);
  }
  return 0;
}

std::vector<proto::Envelope> decodeAll(NativeCodec& codec, std::span<const std::uint8_t> bytes) {
  std::vector<proto::Envelope> messages;
  codec.decode(bytes, [&](const proto::Envelope& m) { messages.push_back(m); });
  return messages;
}

}  // namespace

class LinkPartsTest : public QObject {
  Q_OBJECT

 private slots:
  void writerWritesWholeFramesThroughItsOwnDescriptor() {
    Pipe pipe;
    FdLinkWriter writer(pipe.fds[1]);
    const std::vector<std::uint8_t> bytes{0, 1, 2, 3, 0};
    const auto result = writer.write(bytes, std::chrono::milliseconds(5));
    QVERIFY(result.ok);
    QCOMPARE(result.written, bytes.size());
    QCOMPARE(pipe.readAll(), bytes);
  }

  void detachedWriterRefusesInsteadOfWritingToAStaleDescriptor() {
    Pipe pipe;
    FdLinkWriter writer(pipe.fds[1]);
    writer.detach();
    QVERIFY(!writer.attached());
    const std::vector<std::uint8_t> bytes{1};
    const auto result = writer.write(bytes, std::chrono::milliseconds(5));
    QVERIFY(!result.ok);
    QCOMPARE(result.error, std::string("link closed"));
  }

  void writerGivesUpAtTheDeadlineWhenThePeerDoesNotRead() {
    Pipe pipe;
    ::fcntl(pipe.fds[1], F_SETPIPE_SZ, 4096);
    FdLinkWriter writer(pipe.fds[1]);
    const std::vector<std::uint8_t> big(1 << 16, 0x55);
    const auto start = std::chrono::steady_clock::now();
    const auto result = writer.write(big, std::chrono::milliseconds(20));
    const auto took = std::chrono::steady_clock::now() - start;
    QVERIFY(!result.ok);
    QCOMPARE(result.error, std::string("write timed out"));
    QVERIFY(result.written < big.size());
    QVERIFY(took < std::chrono::milliseconds(500));
  }

  void concurrentWritersNeverInterleaveInsideAFrame() {
    Pipe pipe;
    ::fcntl(pipe.fds[1], F_SETPIPE_SZ, 1 << 20);
    FdLinkWriter writer(pipe.fds[1]);
    const std::vector<std::uint8_t> a(100, 0xAA), b(100, 0xBB);
    std::thread t1([&] { for (int i = 0; i < 200; ++i) writer.write(a, std::chrono::milliseconds(100)); });
    std::thread t2([&] { for (int i = 0; i < 200; ++i) writer.write(b, std::chrono::milliseconds(100)); });
    t1.join();
    t2.join();
    const auto all = pipe.readAll();
    QCOMPARE(all.size(), std::size_t{40000});
    for (std::size_t i = 0; i < all.size(); i += 100) {
      for (std::size_t j = 1; j < 100; ++j) QCOMPARE(all[i + j], all[i]);
    }
  }

  void urgentWriteGoesAheadOfACommandWaitingForTheport() {
    Pipe pipe;
    ::fcntl(pipe.fds[1], F_SETPIPE_SZ, 4096);
    FdLinkWriter writer(pipe.fds[1]);
    const std::vector<std::uint8_t> command(64 * 1024, 0xCC);
    const std::vector<std::uint8_t> off(8, 0xEE);
    std::vector<std::uint8_t> seen;
    std::atomic<bool> commandDone{false};
    std::thread commandThread([&] {
      writer.write(command, std::chrono::seconds(10));
      commandDone = true;
    });
    std::atomic<bool> stop{false};
    std::thread reader([&] {  // a slow device: 1 KiB every 5 ms
      std::uint8_t buffer[1024];
      while (!stop) {
        const auto n = ::read(pipe.fds[0], buffer, sizeof buffer);
        if (n > 0) seen.insert(seen.end(), buffer, buffer + n);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    QVERIFY(!commandDone.load());
    QVERIFY(writer.writeUrgent(off, std::chrono::seconds(5)).ok);
    commandThread.join();
    stop = true;
    reader.join();
    std::uint8_t rest[4096];
    for (ssize_t n; (n = ::read(pipe.fds[0], rest, sizeof rest)) > 0;) seen.insert(seen.end(), rest, rest + n);
    // The emission-off bytes arrived whole, and before the command finished.
    const auto at = std::search(seen.begin(), seen.end(), off.begin(), off.end());
    QVERIFY(at != seen.end());
    QVERIFY(std::count(seen.begin(), seen.end(), 0xCC) > 0);
    QVERIFY2(std::count(at, seen.end(), 0xCC) > 0, "the urgent bytes waited for the whole command");
  }

  // The safety thread (SCHED_FIFO) and the I/O thread share the writer's and
  // the safety path's locks. A command writer preempted while holding one must
  // run at the safety thread's priority until it lets go, or emission-off waits
  // for as long as the desktop keeps it off the CPU.
  void safetyLocksLendTheWaitersRealtimePriorityToTheHolder() {
    Pipe pipe;
    FdLinkWriter writer(pipe.fds[1]);
    SafetyWritePath path;
    QVERIFY(writer.lockInheritsPriority());
    QVERIFY(path.lockInheritsPriority());

    PriorityInheritanceMutex mutex;
    std::atomic<pid_t> holderTid{0};
    std::atomic<bool> release{false};
    std::thread holder([&] {
      std::lock_guard lock(mutex);
      holderTid = ::gettid();
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    });
    while (!holderTid) std::this_thread::yield();
    const int normal = effectivePriority(holderTid);

    std::atomic<int> waiterState{0};  // 1 = SCHED_FIFO refused, 2 = waiting, 3 = got the lock
    std::thread waiter([&] {
      sched_param param{};
      param.sched_priority = 20;
      if (::pthread_setschedparam(::pthread_self(), SCHED_FIFO, &param) != 0) {
        waiterState = 1;
        return;
      }
      waiterState = 2;
      std::lock_guard lock(mutex);
      waiterState = 3;
    });
    while (waiterState == 0) std::this_thread::yield();
    if (waiterState == 1) {
      release = true;
      holder.join();
      waiter.join();
      QSKIP("this account may not use SCHED_FIFO");
    }
    int boosted = normal;
    for (int i = 0; i < 2000 && boosted != -21; ++i) {
      boosted = effectivePriority(holderTid);
      if (boosted != -21) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    release = true;
    holder.join();
    waiter.join();
    QCOMPARE(waiterState.load(), 3);
    QVERIFY2(normal >= 0, qPrintable(QString::number(normal)));
    QCOMPARE(boosted, -21);  // SCHED_FIFO 20, lent to the holder
  }

  void safetyPathIsNotReadyUntilAttached() {
    SafetyWritePath path;
    QVERIFY(!path.ready());
    QCOMPARE(path.sendEmissionOff().error, std::string("link not connected"));
    Pipe pipe;
    path.attach(std::make_shared<FdLinkWriter>(pipe.fds[1]), {0, 9, 9, 0}, {0, 7, 0});
    QVERIFY(path.ready());
    QVERIFY(path.sendEmissionOff().ok);
    QVERIFY(path.sendKeepAlive().ok);
    QVERIFY(path.lastKeepAliveSentNs() > 0);
    QCOMPARE(pipe.readAll(), (std::vector<std::uint8_t>{0, 9, 9, 0, 0, 7, 0}));
    path.detach();
    QVERIFY(!path.ready());
  }

  void nativeCommandsStartWithASyncByteAndRoundTrip() {
    NativeCodec host, device;
    proto::Envelope off;
    off.mutable_laser_command()->set_request_id(kEmissionOffRequestId);
    off.mutable_laser_command()->mutable_emission_off();
    std::vector<std::uint8_t> bytes;
    QVERIFY(host.encode(off, bytes));
    QCOMPARE(bytes.front(), std::uint8_t{0});
    QCOMPARE(bytes.back(), std::uint8_t{0});
    const auto decoded = decodeAll(device, bytes);
    QCOMPARE(decoded.size(), std::size_t{1});
    QVERIFY(decoded[0].laser_command().has_emission_off());
  }

  void openingBytesAreAHelloWithOurVersion() {
    NativeCodec host, device;
    const auto bytes = host.openingBytes(42);
    const auto decoded = decodeAll(device, bytes);
    QCOMPARE(decoded.size(), std::size_t{1});
    QCOMPARE(decoded[0].hello().request_id(), 42u);
    QCOMPARE(decoded[0].hello().protocol().major(), 1u);
  }

  void corruptAndUnparsableFramesAreCountedNotDelivered() {
    NativeCodec host, device;
    proto::Envelope ack;
    ack.mutable_ack()->set_request_id(1);
    std::vector<std::uint8_t> good, corrupt;
    host.encode(ack, good);
    host.encode(ack, corrupt);
    corrupt[corrupt.size() / 2] ^= 0x01;
    if (corrupt[corrupt.size() / 2] == 0) corrupt[corrupt.size() / 2] = 0x03;
    std::vector<std::uint8_t> stream = corrupt;
    stream.insert(stream.end(), good.begin(), good.end());
    const auto decoded = decodeAll(device, stream);
    QCOMPARE(decoded.size(), std::size_t{1});
    const auto stats = device.stats();
    QCOMPARE(stats.frames, std::uint64_t{1});
    QCOMPARE(stats.crcErrors + stats.cobsErrors + stats.otherErrors, std::uint64_t{1});
  }

  void healthSnapshotReportsSinceLastHeard() {
    LinkHealth health;
    auto s = health.snapshot(1000);
    QVERIFY(!s.msSinceLastHeard);
    health.markHeard(900);
    health.addBytesIn(10);
    health.addLostSequences(3);
    health.setState(LinkState::Connected, QStringLiteral("ok"));
    s = health.snapshot(1000);
    QCOMPARE(*s.msSinceLastHeard, std::int64_t{100});
    QCOMPARE(s.bytesIn, std::uint64_t{10});
    QCOMPARE(s.lostSequences, std::uint64_t{3});
    QCOMPARE(s.state, LinkState::Connected);
    QCOMPARE(linkStateName(s.state), QStringLiteral("connected"));
  }

  void streamBandwidthAndLinkCapacity() {
    // 16 ch x 48 kHz of 24-bit samples: 4-byte varints, ~3.1 MB/s on the wire.
    const double need = nativeStreamBytesPerSecond(48000, 16, 24, 48);
    QVERIFY2(need > 3.0e6 && need < 3.3e6, qPrintable(QString::number(need)));
    // A 115200-baud UART carries 11.5 kB/s: even one channel at 4 kHz does not fit.
    QCOMPARE(estimateSerialRateCap(QStringLiteral("/dev/ttyUSB7"), 115200), 11520.0);
    QVERIFY(nativeStreamBytesPerSecond(4000, 1, 24, 4) > 11520.0);
    QVERIFY(estimateSerialRateCap(QStringLiteral("/dev/pts/0"), 9600) > need);
  }
};

QTEST_GUILESS_MAIN(LinkPartsTest)
#include "test_link_parts.moc"
