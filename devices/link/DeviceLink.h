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

 signals:
  void stateChanged(tautband::devices::LinkState state, const QString& detail);
  void identified(const tautband::device::v1::DeviceInfo& info);
  // Raw device bytes, emitted on the I/O thread (conformance kit, diagnostics).
  void bytesReceived(const QByteArray& bytes);
  // Emitted on the codec thread; connect with a receiver in your own thread.
  void messageReceived(const std::shared_ptr<const tautband::device::v1::Envelope>& message);

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
