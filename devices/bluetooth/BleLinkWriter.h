#pragma once

#include "devices/link/LinkWriter.h"

#include <QDBusConnection>
#include <QString>
#include <QThread>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace tautband::devices {

// The BLE write path. Qt 6.4's BlueZ backend runs every GATT operation
// through one FIFO job queue (QLowEnergyControllerPrivateBluezDBus::jobs) and
// reports nothing when a write-without-response finishes, so a safety frame
// handed to QLowEnergyService::writeCharacteristic() would wait behind every
// queued command and we could not tell how long. This writer instead calls
// org.bluez.GattCharacteristic1.WriteValue on the Nordic UART RX
// characteristic itself and keeps exactly one call outstanding:
//
// - frames are split into ATT payloads (MTU - 3) and sent one WriteValue at a
//   time; the next goes out when BlueZ answers the previous one;
// - frames written from the link's I/O thread (commands) queue in order;
//   frames written from any other thread (the safety thread: emission-off,
//   keep-alive) jump that queue: they go out right after the payload in
//   flight and the rest of the frame it belongs to (never inside another
//   frame, which would corrupt both);
// - BlueZ's replies land on this writer's own small thread, so the next
//   payload never waits for the I/O thread (sample notifications) either.
//
// A safety write returns once its last payload is handed to BlueZ, or with
// "write timed out" at the deadline (it then still goes out as soon as the
// link allows: a late emission-off is better than none). Thread-safe.
class BleLinkWriter final : public LinkWriter {
 public:
  struct Target {
    QString characteristicPath;   // D-Bus path of the RX characteristic (6E400002)
    bool withoutResponse = true;  // "command" when the characteristic allows it, else "request"
    int payloadBytes = 20;        // MTU - 3
  };
  struct Stats {
    std::uint64_t writeCalls = 0;  // WriteValue calls answered
    std::uint64_t framesQueued = 0;
    std::uint64_t priorityFrames = 0;
    std::size_t maxBacklogBytes = 0;
    int maxOutstanding = 0;  // 1 by construction; checked by the tests
  };

  // ioThread: writes from this thread are ordinary commands.
  // replyTimeout: a WriteValue BlueZ does not answer within this is a lost link.
  BleLinkWriter(QDBusConnection bus, QThread* ioThread, std::chrono::milliseconds replyTimeout,
                std::size_t maxBacklogBytes = 64 * 1024);
  ~BleLinkWriter() override;
  BleLinkWriter(const BleLinkWriter&) = delete;
  BleLinkWriter& operator=(const BleLinkWriter&) = delete;

  // Until activated (services resolved, notifications on) frames only queue.
  void activate(Target target);
  // Called, from the writer's thread, when BlueZ refuses or does not answer a
  // write; the writer has detached itself. Set once, before activate().
  void setFailureHandler(std::function<void(const QString&)> handler);

  Result write(std::span<const std::uint8_t> bytes, std::chrono::microseconds timeout) override;
  void detach() override;
  bool attached() const override;

  Stats stats() const;

  // Inside this scope writes from the I/O thread also jump the queue (the
  // transport's last emission-off when it declares a stale link lost).
  class UrgentScope {
   public:
    UrgentScope();
    ~UrgentScope();
    UrgentScope(const UrgentScope&) = delete;
    UrgentScope& operator=(const UrgentScope&) = delete;
  };

 private:
  class ReplySink;
  struct Frame {
    std::vector<std::uint8_t> bytes;
    std::size_t offset = 0;
    std::shared_ptr<std::atomic<bool>> issued;  // set when the last payload went to BlueZ
  };

  void pumpLocked();
  void onReply();
  void onError(const QString& message);

  QDBusConnection bus_;
  QThread* ioThread_;
  const std::chrono::milliseconds replyTimeout_;
  const std::size_t maxBacklogBytes_;
  QThread replyThread_;
  ReplySink* sink_ = nullptr;

  mutable std::mutex mutex_;
  std::condition_variable issuedCondition_;
  std::optional<Target> target_;
  std::deque<Frame> priority_;
  std::deque<Frame> normal_;
  std::optional<Frame> current_;
  std::size_t backlogBytes_ = 0;
  int outstanding_ = 0;
  bool detached_ = false;
  Stats stats_;

  std::mutex handlerMutex_;
  std::function<void(const QString&)> failureHandler_;
};

}  // namespace tautband::devices
