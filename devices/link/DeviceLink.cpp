#include "devices/link/DeviceLink.h"

#include "core/Logging.h"
#include "devices/link/LinkWorkers.h"
#include "tautband/protocols/Version.h"

#include <QMetaObject>

#include <cerrno>
#include <cmath>
#include <cstring>

#include <pthread.h>
#include <sched.h>

namespace tautband::devices {
namespace {

std::span<const std::uint8_t> asBytes(const QByteArray& bytes) {
  return {reinterpret_cast<const std::uint8_t*>(bytes.constData()), static_cast<std::size_t>(bytes.size())};
}

QByteArray toQByteArray(const std::vector<std::uint8_t>& bytes) {
  return QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()));
}

auto log() { return core::logger(core::subsystem::kDevices); }

std::string bodyNameOf(const proto::Envelope& e) {
  if (e.has_laser_command()) return "laser";
  if (e.has_emg_command()) return "EMG";
  if (e.has_hello()) return "hello";
  return "unknown";
}

}  // namespace

// ---------------------------------------------------------------- CodecWorker

CodecWorker::CodecWorker(std::shared_ptr<LinkShared> shared, DeviceLink::CodecFactory factory)
    : shared_(std::move(shared)), factory_(std::move(factory)), codec_(factory_()) {
  clock_.start();
}

static std::int64_t steadyNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

template <class F>
void CodecWorker::call(F&& body) {
  if (failed_) return;
  shared_->codecBusySinceNs.store(steadyNowNs(), std::memory_order_relaxed);
  try {
    body();
  } catch (const std::exception& e) {
    failed_ = true;
    shared_->codecBusySinceNs.store(0, std::memory_order_relaxed);
    emit failed(QStringLiteral("the driver threw: %1").arg(QString::fromStdString(e.what())));
    return;
  } catch (...) {
    failed_ = true;
    shared_->codecBusySinceNs.store(0, std::memory_order_relaxed);
    emit failed(QStringLiteral("the driver threw"));
    return;
  }
  shared_->codecBusySinceNs.store(0, std::memory_order_relaxed);
  if (const auto failure = codec_->failure()) {
    failed_ = true;
    emit failed(QString::fromStdString(*failure));
    return;
  }
  const auto pending = codec_->takeBytesToSend();
  if (!pending.empty()) emit commandBytes(toQByteArray(pending));
}

void CodecWorker::start() {
  tickTimer_ = new QTimer(this);
  tickTimer_->setInterval(10);
  connect(tickTimer_, &QTimer::timeout, this, &CodecWorker::onTick);
  tickTimer_->start();
}

void CodecWorker::stop() {
  if (tickTimer_) tickTimer_->stop();
}

void CodecWorker::onTick() {
  // What a driver reports from tick() can be no newer than the newest bytes it
  // has decoded: that is its arrival time, never "now".
  decodingArrivalNs_ = shared_->decodedThroughNs.load(std::memory_order_acquire);
  call([&] { codec_->tick(clock_.nsecsElapsed() / 1000, [this](const proto::Envelope& m) { handle(m); }); });
}

QByteArray CodecWorker::encode(const proto::Envelope& envelope) {
  std::vector<std::uint8_t> bytes;
  if (!codec_->encode(envelope, bytes)) return {};
  return toQByteArray(bytes);
}

void CodecWorker::prepareConnection(quint32 helloRequestId) {
  helloRequestId_ = helloRequestId;
  lastEmgSequence_.reset();
  lastStatusSequence_.reset();
  call([&] {
    codec_->reset();
    proto::Envelope off;
    off.mutable_laser_command()->set_request_id(kEmissionOffRequestId);
    off.mutable_laser_command()->mutable_emission_off();
    proto::Envelope keepAlive;
    keepAlive.mutable_laser_command()->set_request_id(kKeepAliveRequestId);
    keepAlive.mutable_laser_command()->mutable_keep_alive();
    // Encoded once, here, so the safety thread never calls the codec.
    const QByteArray offBytes = encode(off);
    const QByteArray keepAliveBytes = encode(keepAlive);
    emit connectionBytes(toQByteArray(codec_->openingBytes(helloRequestId)), offBytes, keepAliveBytes);
  });
}

void CodecWorker::encodeCommand(const QByteArray& serializedEnvelope) {
  proto::Envelope command;
  if (!command.ParseFromArray(serializedEnvelope.constData(), static_cast<int>(serializedEnvelope.size()))) return;
  call([&] {
    const QByteArray bytes = encode(command);
    if (bytes.isEmpty()) {
      log()->warn("the device's driver cannot encode a {} command", bodyNameOf(command));
      return;
    }
    emit commandBytes(bytes);
  });
}

void CodecWorker::reset() {
  failed_ = false;
  call([&] { codec_->reset(); });
}

void CodecWorker::trackSequence(std::optional<std::uint64_t>& last, std::uint64_t sequence) {
  if (last && sequence > *last + 1) shared_->health.addLostSequences(sequence - *last - 1);
  last = sequence;
}

void CodecWorker::handle(const proto::Envelope& message) {
  shared_->health.markHeard(shared_->clock.elapsed());
  switch (message.body_case()) {
    case proto::Envelope::kEmgFrame:
      trackSequence(lastEmgSequence_, message.emg_frame().sequence());
      break;
    case proto::Envelope::kLaserStatus:
      trackSequence(lastStatusSequence_, message.laser_status().sequence());
      if (decodingArrivalNs_ > 0) shared_->lastStatusNs.store(decodingArrivalNs_, std::memory_order_release);
      break;
    case proto::Envelope::kDeviceInfo:
      if (message.device_info().request_id() == helloRequestId_) emit identified(message.device_info());
      break;
    case proto::Envelope::kAck:
      if (message.ack().request_id() == kKeepAliveRequestId) {
        const auto sentNs = shared_->safety->lastKeepAliveSentNs();
        if (sentNs > 0) {
          const auto nowNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::steady_clock::now().time_since_epoch())
                                 .count();
          shared_->health.setKeepAliveRtt(static_cast<double>(nowNs - sentNs) / 1e6);
        }
      }
      break;
    default:
      break;
  }
  emit this->message(std::make_shared<const proto::Envelope>(message), decodingArrivalNs_);
}

void CodecWorker::onBytes(const QByteArray& bytes, qint64 arrivalNs) {
  decodingArrivalNs_ = arrivalNs;
  call([&] {
    codec_->decode(asBytes(bytes), [this](const proto::Envelope& m) { handle(m); });
    const auto stats = codec_->stats();
    shared_->health.setFrameCounters(stats.frames, stats.crcErrors, stats.cobsErrors, stats.otherErrors);
  });
  // After lastStatusNs (release on both): a reader that sees this sees every
  // status these bytes held.
  if (!failed_) shared_->decodedThroughNs.store(arrivalNs, std::memory_order_release);
}

// ----------------------------------------------------------------- LinkWorker

LinkWorker::LinkWorker(std::shared_ptr<LinkShared> shared, PortIdentity identity,
                       DeviceLink::TransportFactory factory, LinkOptions options)
    : shared_(std::move(shared)), identity_(std::move(identity)), factory_(std::move(factory)),
      options_(options), handshakeTimer_(this), reconnectTimer_(this), rateTimer_(this), hangTimer_(this) {
  handshakeTimer_.setSingleShot(true);
  reconnectTimer_.setSingleShot(true);
  connect(&handshakeTimer_, &QTimer::timeout, this, [this] {
    onLost(QStringLiteral("no identification from the device within %1 ms").arg(options_.handshakeTimeout.count()));
  });
  connect(&reconnectTimer_, &QTimer::timeout, this, &LinkWorker::tryOpen);
  rateTimer_.setInterval(1000);
  connect(&rateTimer_, &QTimer::timeout, this, &LinkWorker::measureRate);
  hangTimer_.setInterval(10);
  connect(&hangTimer_, &QTimer::timeout, this, &LinkWorker::checkCodecHang);
}

void LinkWorker::checkCodecHang() {
  const auto since = shared_->codecBusySinceNs.load(std::memory_order_relaxed);
  if (since == 0 || !transport_) return;
  const auto busyMs = (steadyNowNs() - since) / 1'000'000;
  if (busyMs > options_.codecCallBudget.count()) {
    onCodecFailed(QStringLiteral("the driver has been busy in one call for %1 ms (budget %2 ms)")
                      .arg(busyMs)
                      .arg(options_.codecCallBudget.count()));
  }
}

void LinkWorker::onCodecFailed(const QString& reason) {
  if (!transport_ && shared_->health.state() == LinkState::Failed) return;
  // Emission off first, through the bytes encoded at connect, then report.
  const auto off = shared_->safety->sendEmissionOff();
  log()->error("link {}: {}; emission-off {}", identity_.describe().toStdString(), reason.toStdString(),
               off.ok ? "written" : "not written (" + off.error + ")");
  fail(QStringLiteral("driver fault: %1").arg(reason));
}

void LinkWorker::setState(LinkState state, const QString& detail) {
  shared_->health.setState(state, detail);
  emit stateChanged(state, detail);
}

void LinkWorker::applyThreadPriority(int priority) {
  if (priority <= fifoPriority_) return;
  sched_param param{};
  param.sched_priority = priority;
  if (const int rc = pthread_setschedparam(pthread_self(), SCHED_FIFO, &param); rc != 0) {
    log()->info("link {}: I/O thread stays {} (SCHED_FIFO {} refused: {})", identity_.describe().toStdString(),
                fifoPriority_ ? "SCHED_FIFO " + std::to_string(fifoPriority_) : std::string("SCHED_OTHER"), priority,
                std::strerror(rc));
    return;
  }
  fifoPriority_ = priority;
  log()->info("link {}: I/O thread SCHED_FIFO {}", identity_.describe().toStdString(), priority);
}

void LinkWorker::start() {
  applyThreadPriority(options_.ioThreadFifoPriority);
  wanted_ = true;
  nextBackoff_ = options_.reconnectInitial;
  rateTimer_.start();
  hangTimer_.start();
  tryOpen();
}

void LinkWorker::stop() {
  wanted_ = false;
  handshakeTimer_.stop();
  reconnectTimer_.stop();
  rateTimer_.stop();
  hangTimer_.stop();
  teardownTransport();
  setState(LinkState::Closed, QStringLiteral("closed"));
}

void LinkWorker::teardownTransport() {
  shared_->safety->detach();
  if (writer_) writer_->detach();
  writer_.reset();
  if (transport_) {
    transport_->disconnect(this);
    transport_->close();
    // Often called from inside the transport's own lost() signal: delete later.
    transport_.release()->deleteLater();
  }
}

void LinkWorker::tryOpen() {
  if (!wanted_) return;
  const auto path = identity_.locate();
  if (!path) {
    scheduleReconnect(QStringLiteral("%1 is not present").arg(identity_.describe()));
    return;
  }
  setState(LinkState::Opening, *path);
  transport_ = factory_(*path);
  QString error;
  writer_ = transport_->open(error);
  if (!writer_) {
    transport_.reset();
    scheduleReconnect(error);
    return;
  }
  shared_->health.setRateCap(transport_->rateCapBytesPerSecond());
  connect(transport_.get(), &Transport::bytesReceived, this, [this](const QByteArray& bytes) {
    // Stamped here, right after the transport's read(): the wire's time, not
    // the time the codec or a queue gets round to these bytes.
    const qint64 arrivalNs = steadyNowNs();
    shared_->lastBytesNs.store(arrivalNs, std::memory_order_release);
    shared_->health.addBytesIn(static_cast<std::uint64_t>(bytes.size()));
    emit bytesReceived(bytes);
    emit bytesArrived(bytes, arrivalNs);
  });
  connect(transport_.get(), &Transport::lost, this, &LinkWorker::onLost);
  helloRequestId_ = nextRequestId_++;
  setState(LinkState::Handshaking, transport_->describe());
  handshakeTimer_.start(options_.handshakeTimeout);
  emit connectionOpened(helloRequestId_);
}

void LinkWorker::onConnectionBytes(const QByteArray& opening, const QByteArray& emissionOff,
                                   const QByteArray& keepAlive) {
  pendingEmissionOff_ = emissionOff;
  pendingKeepAlive_ = keepAlive;
  write(opening);
}

void LinkWorker::onIdentified(const proto::DeviceInfo& info) {
  if (shared_->health.state() != LinkState::Handshaking || info.request_id() != helloRequestId_) return;
  handshakeTimer_.stop();
  const auto ours = protocols::kProtocolVersion;
  if (info.protocol().major() != ours.major) {
    fail(QStringLiteral("device speaks protocol %1.%2, this console %3.%4: major versions differ")
             .arg(info.protocol().major())
             .arg(info.protocol().minor())
             .arg(ours.major)
             .arg(ours.minor));
    return;
  }
  if (knownSerial_ && *knownSerial_ != info.serial()) {
    fail(QStringLiteral("a different device answered on %1: expected serial %2, got %3")
             .arg(identity_.describe(), QString::fromStdString(*knownSerial_), QString::fromStdString(info.serial())));
    return;
  }
  knownSerial_ = info.serial();
  {
    std::lock_guard lock(shared_->infoMutex);
    shared_->info = info;
  }
  if (!pendingEmissionOff_.isEmpty()) {
    auto bytes = [](const QByteArray& b) { return std::vector<std::uint8_t>(b.begin(), b.end()); };
    shared_->safety->attach(writer_, bytes(pendingEmissionOff_), bytes(pendingKeepAlive_));
  }
  log()->info("link {} connected: {} {} serial {} firmware {}", identity_.describe().toStdString(), info.vendor(),
              info.model(), info.serial(), info.firmware());
  if (everConnected_) shared_->health.addReconnect();
  everConnected_ = true;
  nextBackoff_ = options_.reconnectInitial;
  setState(LinkState::Connected, QStringLiteral("%1 %2 serial %3")
                                     .arg(QString::fromStdString(info.vendor()), QString::fromStdString(info.model()),
                                          QString::fromStdString(info.serial())));
  emit identified(info);
}

void LinkWorker::write(const QByteArray& bytes) {
  if (!writer_ || bytes.isEmpty()) return;
  const auto result = writer_->write(asBytes(bytes), options_.commandWriteTimeout);
  shared_->health.addBytesOut(result.written);
  if (!result.ok) onLost(QStringLiteral("write failed: %1").arg(QString::fromStdString(result.error)));
}

void LinkWorker::onLost(const QString& reason) {
  if (!transport_) return;
  handshakeTimer_.stop();
  teardownTransport();
  emit codecReset();
  log()->warn("link {} lost: {}", identity_.describe().toStdString(), reason.toStdString());
  scheduleReconnect(reason);
}

void LinkWorker::scheduleReconnect(const QString& reason) {
  if (!wanted_ || !options_.reconnect) {
    setState(wanted_ ? LinkState::Failed : LinkState::Closed, reason);
    return;
  }
  const auto delay = nextBackoff_;
  nextBackoff_ = std::min(options_.reconnectMax, nextBackoff_ * 2);
  setState(LinkState::Reconnecting, QStringLiteral("%1; retrying in %2 ms").arg(reason).arg(delay.count()));
  reconnectTimer_.start(delay);
}

void LinkWorker::fail(const QString& reason) {
  log()->error("link {} failed: {}", identity_.describe().toStdString(), reason.toStdString());
  wanted_ = false;
  reconnectTimer_.stop();
  teardownTransport();
  emit codecReset();
  setState(LinkState::Failed, reason);
}

void LinkWorker::measureRate() {
  const auto now = shared_->health.snapshot(0).bytesIn;
  shared_->health.setMeasuredRate(static_cast<double>(now - lastBytesIn_));
  lastBytesIn_ = now;
}

// ----------------------------------------------------------------- DeviceLink

DeviceLink::DeviceLink(QString name, PortIdentity identity, TransportFactory transportFactory,
                       CodecFactory codecFactory, LinkOptions options, QObject* parent)
    : QObject(parent), name_(std::move(name)), identity_(identity), shared_(std::make_shared<LinkShared>()),
      codecThread_(new QThread) {
  qRegisterMetaType<tautband::devices::LinkState>("tautband::devices::LinkState");
  qRegisterMetaType<proto::DeviceInfo>();
  qRegisterMetaType<std::shared_ptr<const proto::Envelope>>();

  ioThread_.setObjectName(QStringLiteral("link-io:%1").arg(name_));
  codecThread_->setObjectName(QStringLiteral("link-codec:%1").arg(name_));
  linkWorker_ = new LinkWorker(shared_, std::move(identity), std::move(transportFactory), options);
  codecWorker_ = new CodecWorker(shared_, std::move(codecFactory));
  linkWorker_->moveToThread(&ioThread_);
  codecWorker_->moveToThread(codecThread_);

  // Bytes never pass through this (owner) thread: I/O thread -> codec thread directly.
  connect(linkWorker_, &LinkWorker::bytesArrived, codecWorker_, &CodecWorker::onBytes);
  connect(linkWorker_, &LinkWorker::bytesReceived, this, &DeviceLink::bytesReceived, Qt::DirectConnection);
  connect(linkWorker_, &LinkWorker::connectionOpened, codecWorker_, &CodecWorker::prepareConnection);
  connect(linkWorker_, &LinkWorker::codecReset, codecWorker_, &CodecWorker::reset);
  connect(codecWorker_, &CodecWorker::connectionBytes, linkWorker_, &LinkWorker::onConnectionBytes);
  connect(codecWorker_, &CodecWorker::identified, linkWorker_, &LinkWorker::onIdentified);
  connect(codecWorker_, &CodecWorker::commandBytes, linkWorker_, &LinkWorker::write);
  connect(codecWorker_, &CodecWorker::failed, linkWorker_, &LinkWorker::onCodecFailed);
  connect(codecThread_, &QThread::started, codecWorker_, &CodecWorker::start);
  connect(codecWorker_, &CodecWorker::message, this, &DeviceLink::messageReceived, Qt::DirectConnection);
  connect(linkWorker_, &LinkWorker::stateChanged, this, &DeviceLink::stateChanged);
  connect(linkWorker_, &LinkWorker::identified, this, &DeviceLink::identified);
  connect(&ioThread_, &QThread::finished, linkWorker_, &QObject::deleteLater);
  connect(codecThread_, &QThread::finished, codecWorker_, &QObject::deleteLater);
  codecThread_->start();
  ioThread_.start();
}

DeviceLink::~DeviceLink() {
  QMetaObject::invokeMethod(linkWorker_, &LinkWorker::stop, Qt::BlockingQueuedConnection);
  ioThread_.quit();
  codecThread_->quit();
  ioThread_.wait();
  // A driver stuck inside a call cannot be interrupted; the link already
  // failed with emission off. Give it a moment, then leave its thread behind
  // rather than hang the console (docs/DRIVER-SDK.md).
  if (!codecThread_->wait(2000)) {
    log()->error("link {}: the driver's thread did not stop; abandoning it", name_.toStdString());
    codecThread_ = nullptr;  // leaked on purpose: destroying a running QThread aborts
    return;
  }
  delete codecThread_;
}

void DeviceLink::open() { QMetaObject::invokeMethod(linkWorker_, &LinkWorker::start, Qt::QueuedConnection); }

void DeviceLink::close() { QMetaObject::invokeMethod(linkWorker_, &LinkWorker::stop, Qt::QueuedConnection); }

void DeviceLink::send(const proto::Envelope& command) {
  const std::string serialized = command.SerializeAsString();
  const QByteArray bytes(serialized.data(), static_cast<qsizetype>(serialized.size()));
  QMetaObject::invokeMethod(codecWorker_, "encodeCommand", Qt::QueuedConnection, Q_ARG(QByteArray, bytes));
}

LinkHealthSnapshot DeviceLink::health() const { return shared_->health.snapshot(shared_->clock.elapsed()); }

std::optional<proto::DeviceInfo> DeviceLink::deviceInfo() const {
  std::lock_guard lock(shared_->infoMutex);
  return shared_->info;
}

std::shared_ptr<SafetyWritePath> DeviceLink::safetyPath() const { return shared_->safety; }

void DeviceLink::requestIoThreadFifoPriority(int priority) {
  if (priority <= 0) return;
  QMetaObject::invokeMethod(linkWorker_, [worker = linkWorker_, priority] { worker->applyThreadPriority(priority); });
}

ArrivalTimes DeviceLink::arrivalTimes() const {
  // This order, against the writers' (lastStatus, then decodedThrough): a
  // caughtUp() answer is never newer than the status time read with it.
  ArrivalTimes t;
  t.lastBytesNs = shared_->lastBytesNs.load(std::memory_order_acquire);
  t.decodedThroughNs = shared_->decodedThroughNs.load(std::memory_order_acquire);
  t.lastStatusNs = shared_->lastStatusNs.load(std::memory_order_acquire);
  return t;
}

double nativeStreamBytesPerSecond(std::uint32_t sampleRateHz, std::uint32_t channels, std::uint32_t resolutionBits,
                                  std::uint32_t samplesPerFrame) {
  // A zig-zag varint carries 7 bits per byte; one more bit for the sign.
  const double bytesPerSample = std::ceil((resolutionBits + 1) / 7.0);
  const double framesPerSecond = static_cast<double>(sampleRateHz) / std::max<std::uint32_t>(1, samplesPerFrame);
  const double payload = bytesPerSample * channels * samplesPerFrame + 40.0;  // envelope and frame header fields
  const double framed = payload + 4 + std::ceil((payload + 4) / 254.0) + 2;   // CRC, COBS, delimiter, sync
  return framed * framesPerSecond;
}

}  // namespace tautband::devices
