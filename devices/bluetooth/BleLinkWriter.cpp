#include "devices/bluetooth/BleLinkWriter.h"

#include <QDBusError>
#include <QDBusMessage>
#include <QVariantMap>

namespace tautband::devices {

using Clock = std::chrono::steady_clock;

namespace {
thread_local int urgentDepth = 0;
}

BleLinkWriter::UrgentScope::UrgentScope() {
  ++urgentDepth;
}
BleLinkWriter::UrgentScope::~UrgentScope() {
  --urgentDepth;
}

// Receives BlueZ's answers on the writer's own thread.
class BleLinkWriter::ReplySink : public QObject {
  Q_OBJECT
 public:
  explicit ReplySink(BleLinkWriter* writer) : writer_(writer) {}
 public slots:
  void reply() { writer_->onReply(); }
  void error(const QDBusError& error) {
    writer_->onError(error.name() + QStringLiteral(": ") + error.message());
  }

 private:
  BleLinkWriter* writer_;
};

BleLinkWriter::BleLinkWriter(QDBusConnection bus, QThread* ioThread, std::chrono::milliseconds replyTimeout,
                             std::size_t maxBacklogBytes)
    : bus_(std::move(bus)),
      ioThread_(ioThread),
      replyTimeout_(replyTimeout),
      maxBacklogBytes_(maxBacklogBytes) {
  replyThread_.setObjectName(QStringLiteral("ble-write"));
  sink_ = new ReplySink(this);
  sink_->moveToThread(&replyThread_);
  replyThread_.start();
}

BleLinkWriter::~BleLinkWriter() {
  detach();
  replyThread_.quit();
  replyThread_.wait();
  delete sink_;  // its thread has stopped: no reply can reach it any more
}

void BleLinkWriter::setFailureHandler(std::function<void(const QString&)> handler) {
  std::lock_guard lock(handlerMutex_);
  failureHandler_ = std::move(handler);
}

void BleLinkWriter::activate(Target target) {
  std::lock_guard lock(mutex_);
  if (detached_) return;
  target.payloadBytes = std::max(1, target.payloadBytes);
  target_ = std::move(target);
  pumpLocked();
}

void BleLinkWriter::detach() {
  {
    std::lock_guard lock(mutex_);
    detached_ = true;
    priority_.clear();
    normal_.clear();
    current_.reset();
    backlogBytes_ = 0;
  }
  issuedCondition_.notify_all();
  std::lock_guard lock(handlerMutex_);
  failureHandler_ = nullptr;
}

bool BleLinkWriter::attached() const {
  std::lock_guard lock(mutex_);
  return !detached_;
}

BleLinkWriter::Stats BleLinkWriter::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

LinkWriter::Result BleLinkWriter::write(std::span<const std::uint8_t> bytes,
                                        std::chrono::microseconds timeout) {
  const auto start = Clock::now();
  Result result;
  const bool priority = QThread::currentThread() != ioThread_ || urgentDepth > 0;
  auto issued = std::make_shared<std::atomic<bool>>(false);
  std::unique_lock lock(mutex_);
  if (detached_) {
    result.error = "link closed";
    result.elapsed = Clock::now() - start;
    return result;
  }
  if (!priority && backlogBytes_ + bytes.size() > maxBacklogBytes_) {
    result.error = "BLE write backlog full (" + std::to_string(backlogBytes_) + " bytes waiting)";
    result.elapsed = Clock::now() - start;
    return result;
  }
  Frame frame{std::vector<std::uint8_t>(bytes.begin(), bytes.end()), 0, issued};
  backlogBytes_ += bytes.size();
  stats_.maxBacklogBytes = std::max(stats_.maxBacklogBytes, backlogBytes_);
  ++stats_.framesQueued;
  if (priority) {
    ++stats_.priorityFrames;
    priority_.push_back(std::move(frame));
  } else {
    normal_.push_back(std::move(frame));
  }
  pumpLocked();
  if (!priority || QThread::currentThread() == ioThread_) {
    // The I/O thread never waits: its commands are in order behind each other.
    result.ok = true;
    result.written = bytes.size();
    result.elapsed = Clock::now() - start;
    return result;
  }
  const auto deadline = start + timeout;
  issuedCondition_.wait_until(lock, deadline, [&] { return issued->load() || detached_; });
  result.elapsed = Clock::now() - start;
  if (issued->load()) {
    result.ok = true;
    result.written = bytes.size();
  } else {
    result.error = detached_ ? "link closed" : "write timed out (still queued first)";
  }
  return result;
}

void BleLinkWriter::pumpLocked() {
  if (detached_ || !target_ || outstanding_ > 0) return;
  if (!current_) {
    auto& queue = !priority_.empty() ? priority_ : normal_;
    if (queue.empty()) return;
    current_ = std::move(queue.front());
    queue.pop_front();
  }
  Frame& frame = *current_;
  const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(target_->payloadBytes),
                                              frame.bytes.size() - frame.offset);
  const QByteArray payload(reinterpret_cast<const char*>(frame.bytes.data() + frame.offset),
                           static_cast<qsizetype>(n));
  auto message = QDBusMessage::createMethodCall(QStringLiteral("org.bluez"), target_->characteristicPath,
                                                QStringLiteral("org.bluez.GattCharacteristic1"),
                                                QStringLiteral("WriteValue"));
  QVariantMap options;
  options.insert(QStringLiteral("type"),
                 target_->withoutResponse ? QStringLiteral("command") : QStringLiteral("request"));
  message << payload << options;
  // Sends now; BlueZ's answer is queued to the sink's thread, never run here.
  if (!bus_.callWithCallback(message, sink_, SLOT(reply()), SLOT(error(QDBusError)),
                             static_cast<int>(replyTimeout_.count()))) {
    // Could not even send: handled like an error answer, outside the lock.
    QMetaObject::invokeMethod(
        sink_, [this, error = bus_.lastError().message()] { onError(error); }, Qt::QueuedConnection);
    outstanding_ = 1;
    return;
  }
  ++outstanding_;
  stats_.maxOutstanding = std::max(stats_.maxOutstanding, outstanding_);
  frame.offset += n;
  backlogBytes_ -= n;
  if (frame.offset == frame.bytes.size()) {
    frame.issued->store(true);
    current_.reset();
    issuedCondition_.notify_all();
  }
}

void BleLinkWriter::onReply() {
  std::lock_guard lock(mutex_);
  outstanding_ = 0;
  ++stats_.writeCalls;
  pumpLocked();
}

void BleLinkWriter::onError(const QString& message) {
  {
    std::lock_guard lock(mutex_);
    outstanding_ = 0;
    if (detached_) return;
  }
  std::function<void(const QString&)> handler;
  {
    std::lock_guard lock(handlerMutex_);
    handler = failureHandler_;
  }
  detach();
  if (handler) handler(QStringLiteral("BLE write failed: %1").arg(message));
}

}  // namespace tautband::devices

#include "BleLinkWriter.moc"
