#pragma once

// The two objects behind DeviceLink, one per thread. Internal to the link.

#include "devices/link/DeviceLink.h"

#include <QElapsedTimer>
#include <QTimer>

#include <atomic>
#include <mutex>

namespace tautband::devices {

struct LinkShared {
  LinkHealth health;
  std::shared_ptr<SafetyWritePath> safety = std::make_shared<SafetyWritePath>();
  QElapsedTimer clock;  // started at construction; monotonic ms for "last heard"

  mutable std::mutex infoMutex;
  std::optional<proto::DeviceInfo> info;

  // When the codec thread entered its current codec call (steady-clock ns),
  // 0 when idle: lets the I/O thread notice a driver that hangs.
  std::atomic<std::int64_t> codecBusySinceNs{0};

  // ArrivalTimes: written by the I/O thread (lastBytes) and the codec thread
  // (the other two, lastStatus before decodedThrough, both release).
  std::atomic<std::int64_t> lastBytesNs{0};
  std::atomic<std::int64_t> decodedThroughNs{0};
  std::atomic<std::int64_t> lastStatusNs{0};

  LinkShared() { clock.start(); }
};

// Lives on the codec thread: bytes in, typed messages out.
class CodecWorker : public QObject {
  Q_OBJECT
 public:
  CodecWorker(std::shared_ptr<LinkShared> shared, DeviceLink::CodecFactory factory);

 public slots:
  void onBytes(const QByteArray& bytes, qint64 arrivalNs);
  void prepareConnection(quint32 helloRequestId);
  void encodeCommand(const QByteArray& serializedEnvelope);
  void reset();
  void start();
  void stop();

 signals:
  void connectionBytes(const QByteArray& opening, const QByteArray& emissionOff, const QByteArray& keepAlive);
  void identified(const tautband::device::v1::DeviceInfo& info);
  void commandBytes(const QByteArray& bytes);
  void message(const std::shared_ptr<const tautband::device::v1::Envelope>& message, qint64 arrivalNs);
  void failed(const QString& reason);

 private:
  void handle(const proto::Envelope& message);
  // Runs one codec call with the busy stamp set, then sends what the codec
  // queued and reports a failure it recorded.
  template <class F>
  void call(F&& body);
  void onTick();
  void trackSequence(std::optional<std::uint64_t>& last, std::uint64_t sequence);
  QByteArray encode(const proto::Envelope& envelope);

  std::shared_ptr<LinkShared> shared_;
  DeviceLink::CodecFactory factory_;
  std::unique_ptr<DeviceCodec> codec_;
  std::uint32_t helloRequestId_ = 0;
  std::optional<std::uint64_t> lastEmgSequence_;
  std::optional<std::uint64_t> lastStatusSequence_;
  QTimer* tickTimer_ = nullptr;
  QElapsedTimer clock_;
  bool failed_ = false;
  qint64 decodingArrivalNs_ = 0;  // arrival of the chunk being decoded
};

// Lives on the I/O thread: owns the transport, the handshake and reconnects.
class LinkWorker : public QObject {
  Q_OBJECT
 public:
  LinkWorker(std::shared_ptr<LinkShared> shared, PortIdentity identity, DeviceLink::TransportFactory factory,
             LinkOptions options);

 public slots:
  void start();
  void stop();
  void write(const QByteArray& bytes);
  void onConnectionBytes(const QByteArray& opening, const QByteArray& emissionOff, const QByteArray& keepAlive);
  void onIdentified(const tautband::device::v1::DeviceInfo& info);
  void onCodecFailed(const QString& reason);

 signals:
  void bytesReceived(const QByteArray& bytes);
  // The same bytes with the time they were read, for the codec thread.
  void bytesArrived(const QByteArray& bytes, qint64 arrivalNs);
  void connectionOpened(quint32 helloRequestId);
  void codecReset();
  void stateChanged(tautband::devices::LinkState state, const QString& detail);
  void identified(const tautband::device::v1::DeviceInfo& info);

 private:
  void tryOpen();
  void onLost(const QString& reason);
  void scheduleReconnect(const QString& reason);
  void fail(const QString& reason);
  void setState(LinkState state, const QString& detail);
  void teardownTransport();
  void measureRate();
  void checkCodecHang();

 public:
  // On the I/O thread. Once granted, a lower or equal request is a no-op.
  void applyThreadPriority(int priority);

 private:

  std::shared_ptr<LinkShared> shared_;
  PortIdentity identity_;
  DeviceLink::TransportFactory factory_;
  LinkOptions options_;
  std::unique_ptr<Transport> transport_;
  std::shared_ptr<LinkWriter> writer_;
  QByteArray pendingEmissionOff_;
  QByteArray pendingKeepAlive_;
  QTimer handshakeTimer_;
  QTimer reconnectTimer_;
  QTimer rateTimer_;
  QTimer hangTimer_;
  std::chrono::milliseconds nextBackoff_{0};
  std::uint32_t nextRequestId_ = 1;
  std::uint32_t helloRequestId_ = 0;
  std::optional<std::string> knownSerial_;
  bool wanted_ = false;
  bool everConnected_ = false;
  std::uint64_t lastBytesIn_ = 0;
  int fifoPriority_ = 0;  // what this thread has, 0 = SCHED_OTHER
};

}  // namespace tautband::devices
