#pragma once

#include "devices/link/DeviceCodec.h"
#include "devices/link/LinkHealth.h"
#include "devices/link/PortIdentity.h"
#include "devices/link/SafetyWritePath.h"
#include "devices/link/Transport.h"

#include <QObject>
#include <QThread>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

Q_DECLARE_METATYPE(tautband::device::v1::DeviceInfo)
Q_DECLARE_METATYPE(std::shared_ptr<const tautband::device::v1::Envelope>)

namespace tautband::devices {

class LinkWorker;
class CodecWorker;
struct LinkShared;

// Request ids the link reserves for the pre-encoded safety frames.
inline constexpr std::uint32_t kEmissionOffRequestId = 0xFFFFFFF0u;
inline constexpr std::uint32_t kKeepAliveRequestId = 0xFFFFFFF1u;

struct LinkOptions {
  std::chrono::milliseconds handshakeTimeout{2000};
  std::chrono::milliseconds reconnectInitial{100};
  std::chrono::milliseconds reconnectMax{5000};
  bool reconnect = true;
  std::chrono::microseconds commandWriteTimeout{50000};
  // A codec (driver) call longer than this fails the link, emission off first.
  std::chrono::milliseconds codecCallBudget{100};
  // SCHED_FIFO priority for the link's I/O thread (reads, writes, the driver
  // watchdog; never driver code), 0 = leave it SCHED_OTHER. Refused quietly
  // (one log line) where the OS does not allow it. docs/SAFETY.md.
  int ioThreadFifoPriority = 0;
};

// When bytes arrived on the wire, as the link's I/O thread saw them at read()
// (steady-clock ns since its epoch; 0 = never). Read lock-free by the safety
// thread, so its silence check does not depend on how late the host's codec
// and queues hand a decoded report on.
struct ArrivalTimes {
  std::int64_t lastBytesNs = 0;       // newest bytes read from the device
  std::int64_t decodedThroughNs = 0;  // the driver has decoded every byte that arrived up to here
  std::int64_t lastStatusNs = 0;      // arrival of the newest LaserStatus the driver decoded
  // Every byte read so far has been through the driver.
  bool caughtUp() const { return decodedThroughNs >= lastBytesNs; }
};

// One device connection. Its port lives on the link's own I/O thread and its
// codec on a codec thread; everyone else talks to it through this object's
// methods (queued to those threads) and signals. The safety thread writes
// emission-off through safetyPath() without involving either thread.
class DeviceLink : public QObject {
  Q_OBJECT
 public:
  using TransportFactory = std::function<std::unique_ptr<Transport>(const QString& path)>;
  using CodecFactory = std::function<std::unique_ptr<DeviceCodec>()>;

  DeviceLink(QString name, PortIdentity identity, TransportFactory transportFactory,
             CodecFactory codecFactory, LinkOptions options = {}, QObject* parent = nullptr);
  ~DeviceLink() override;

  const QString& name() const { return name_; }
  const PortIdentity& identity() const { return identity_; }

  void open();
  void close();
  // Encoded on the codec thread, written by the I/O thread.
  void send(const proto::Envelope& command);

  LinkHealthSnapshot health() const;
  std::optional<proto::DeviceInfo> deviceInfo() const;
  std::shared_ptr<SafetyWritePath> safetyPath() const;
  // Lock-free; safe from any thread (the safety supervisor's tick).
  ArrivalTimes arrivalTimes() const;
  // Asks for SCHED_FIFO `priority` on the link's I/O thread (queued to it;
  // the outcome is logged). The safety supervisor does this for the laser it
  // watches, so reads are stamped on time under load. 0 does nothing.
  void requestIoThreadFifoPriority(int priority);

 signals:
  void stateChanged(tautband::devices::LinkState state, const QString& detail);
  void identified(const tautband::device::v1::DeviceInfo& info);
  // Raw device bytes, emitted on the I/O thread (conformance kit, diagnostics).
  void bytesReceived(const QByteArray& bytes);
  // Emitted on the codec thread; connect with a receiver in your own thread.
  // arrivalNs: when the bytes that completed this message were read (steady
  // clock ns; 0 when unknown, e.g. a message injected by a test).
  void messageReceived(const std::shared_ptr<const tautband::device::v1::Envelope>& message, qint64 arrivalNs = 0);

 private:
  QString name_;
  PortIdentity identity_;
  std::shared_ptr<LinkShared> shared_;
  QThread ioThread_;
  QThread* codecThread_;  // owned; leaked only if a driver hangs in it
  LinkWorker* linkWorker_ = nullptr;
  CodecWorker* codecWorker_ = nullptr;
};

// Bytes per second a stream needs on the wire, worst case, for the native
// protocol: each sample a zig-zag varint of its resolution, plus per-frame
// envelope, CRC and COBS overhead.
double nativeStreamBytesPerSecond(std::uint32_t sampleRateHz, std::uint32_t channels, std::uint32_t resolutionBits,
                                  std::uint32_t samplesPerFrame);

}  // namespace tautband::devices
