#include "devices/host/Conformance.h"

#include "devices/host/DriverLinks.h"
#include "devices/host/PluginCodec.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <random>

namespace tautband::devices {
namespace {

using Result = ConformanceCheck::Result;

struct Recorder {
  std::mutex mutex;
  std::vector<std::shared_ptr<const proto::Envelope>> messages;

  template <class Pred>
  std::shared_ptr<const proto::Envelope> find(Pred&& pred) {
    std::lock_guard lock(mutex);
    for (const auto& m : messages) {
      if (pred(*m)) return m;
    }
    return nullptr;
  }
  void clear() {
    std::lock_guard lock(mutex);
    messages.clear();
  }
};

// Runs the event loop until pred() holds or the deadline passes.
template <class Pred>
bool waitFor(Pred&& pred, int timeoutMs) {
  QElapsedTimer timer;
  timer.start();
  while (timer.elapsed() < timeoutMs) {
    if (pred()) return true;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    QThread::msleep(2);
  }
  return pred();
}

ConformanceCheck check(QString id, QString title, bool mandatory) {
  ConformanceCheck c;
  c.id = std::move(id);
  c.title = std::move(title);
  c.mandatory = mandatory;
  return c;
}

proto::Envelope laserCommand(std::uint32_t id, auto&& fill) {
  proto::Envelope e;
  e.mutable_laser_command()->set_request_id(id);
  fill(*e.mutable_laser_command());
  return e;
}

// Messages a fresh codec decodes from bytes.
std::size_t decodeCount(const DriverRecord& driver, const std::string& settings,
                        const std::vector<std::vector<std::uint8_t>>& chunks, std::optional<std::string>& failure) {
  PluginCodec codec(driver, settings);
  codec.openingBytes(1);
  std::size_t count = 0;
  const DeviceCodec::MessageSink sink = [&](const proto::Envelope&) { ++count; };
  for (const auto& chunk : chunks) codec.decode(chunk, sink);
  failure = codec.failure();
  return count;
}

}  // namespace

QString conformanceResultName(ConformanceCheck::Result result) {
  switch (result) {
    case Result::Pass: return QStringLiteral("pass");
    case Result::Fail: return QStringLiteral("FAIL");
    case Result::NotApplicable: return QStringLiteral("n/a");
    case Result::Info: return QStringLiteral("info");
  }
  return {};
}

bool ConformanceReport::passed() const {
  return !checks.empty() && std::none_of(checks.begin(), checks.end(), [](const ConformanceCheck& c) {
    return c.mandatory && c.result == Result::Fail;
  });
}

ConformanceReport runConformance(const ConformanceOptions& options) {
  ConformanceReport report;
  report.pluginPath = options.pluginPath;
  report.port = options.port;
  auto add = [&](ConformanceCheck c) { report.checks.push_back(std::move(c)); };

  // 1-2. Load: manifest and ABI version.
  DriverCatalog catalog;
  const DriverRecord& record = catalog.loadFile(options.pluginPath);
  report.driverId = record.id;
  auto api = check(QStringLiteral("api_version"), QStringLiteral("Driver API major matches the host"), true);
  auto manifest = check(QStringLiteral("manifest"), QStringLiteral("Manifest is valid"), true);
  if (record.apiMajor == TB_DRIVER_API_MAJOR) {
    api.result = Result::Pass;
    api.detail = QStringLiteral("plugin %1.%2, host %3.%4").arg(record.apiMajor).arg(record.apiMinor)
                     .arg(TB_DRIVER_API_MAJOR).arg(TB_DRIVER_API_MINOR);
  } else {
    api.detail = record.reason.isEmpty() ? QStringLiteral("no API version") : record.reason;
  }
  if (record.usable()) {
    manifest.result = Result::Pass;
    manifest.detail = QStringLiteral("%1 %2 by %3").arg(record.id, record.version, record.vendor);
  } else {
    manifest.detail = record.reason;
  }
  add(api);
  add(manifest);
  if (!record.usable()) return report;


  // 3. Handshake against the device.
  LinkOptions linkOptions;
  linkOptions.reconnect = false;
  std::unique_ptr<DeviceLink> link;
  auto handshake = check(QStringLiteral("handshake"), QStringLiteral("Device identifies itself within 2 s"), true);
  try {
    link = makeDriverSerialLink(QStringLiteral("conformance"), options.port, record, options.baud, options.settingsJson,
                                linkOptions);
  } catch (const std::exception& e) {
    handshake.detail = QString::fromStdString(e.what());
    add(handshake);
    return report;
  }
  Recorder recorder;
  // The device's own bytes, for the offline checks below.
  std::mutex rawMutex;
  std::vector<std::uint8_t> deviceBytes;
  QObject::connect(link.get(), &DeviceLink::bytesReceived, link.get(),
                   [&](const QByteArray& bytes) {
                     std::lock_guard lock(rawMutex);
                     if (deviceBytes.size() < (1u << 16)) deviceBytes.insert(deviceBytes.end(), bytes.begin(), bytes.end());
                   },
                   Qt::DirectConnection);
  QObject::connect(link.get(), &DeviceLink::messageReceived, link.get(),
                   [&](const std::shared_ptr<const proto::Envelope>& m) {
                     std::lock_guard lock(recorder.mutex);
                     recorder.messages.push_back(m);
                   },
                   Qt::DirectConnection);
  link->open();
  const bool identified = waitFor([&] { return link->health().state == LinkState::Connected; }, 2000);
  if (identified) {
    const auto info = *link->deviceInfo();
    handshake.result = Result::Pass;
    handshake.detail = QStringLiteral("%1 %2 serial '%3' firmware %4")
                           .arg(QString::fromStdString(info.vendor()), QString::fromStdString(info.model()),
                                QString::fromStdString(info.serial()), QString::fromStdString(info.firmware()));
  } else {
    handshake.detail = link->health().stateDetail;
  }
  add(handshake);
  if (!identified) return report;
  // What this device is decides which checks apply (a driver may serve both kinds).
  const bool isLaser = link->deviceInfo()->has_laser();
  const bool isEmg = link->deviceInfo()->has_emg();
  QElapsedTimer sessionTimer;
  sessionTimer.start();
  const auto bytesAtStart = link->health().bytesIn;

  // 4. Stream or status.
  auto stream = check(QStringLiteral("stream_or_status"),
                      isEmg ? QStringLiteral("EMG samples within 1 s of start") : QStringLiteral("Laser status within 500 ms"),
                      true);
  if (isEmg) {
    proto::Envelope start;
    start.mutable_emg_command()->set_request_id(10);
    start.mutable_emg_command()->mutable_start();
    recorder.clear();
    link->send(start);
    const bool got = waitFor([&] { return recorder.find([](const auto& m) { return m.has_emg_frame(); }) != nullptr; }, 1000);
    stream.result = got ? Result::Pass : Result::Fail;
    if (got) {
      const auto f = recorder.find([](const auto& m) { return m.has_emg_frame(); })->emg_frame();
      stream.detail = QStringLiteral("%1 ch at %2 Hz").arg(f.channel_count()).arg(f.sample_rate_hz());
    } else {
      stream.detail = QStringLiteral("no EmgFrame");
    }
  } else {
    recorder.clear();
    const bool got = waitFor([&] { return recorder.find([](const auto& m) { return m.has_laser_status(); }) != nullptr; }, 500);
    stream.result = got ? Result::Pass : Result::Fail;
    stream.detail = got ? QStringLiteral("status received") : QStringLiteral("no LaserStatus");
  }
  add(stream);

  // 5-7. Laser safety path.
  auto off = check(QStringLiteral("emission_off"), QStringLiteral("Emission-off bytes accepted by the device"), isLaser);
  auto keepAlive = check(QStringLiteral("keep_alive"), QStringLiteral("Keep-alive accepted"), false);
  auto watchdog = check(QStringLiteral("firmware_watchdog"), QStringLiteral("Firmware watchdog present"), false);
  if (!isLaser) {
    off.result = keepAlive.result = watchdog.result = Result::NotApplicable;
  } else {
    auto path = link->safetyPath();
    recorder.clear();
    const auto written = path->sendEmissionOff();
    const bool accepted =
        written.ok &&
        waitFor([&] {
          return recorder.find([](const auto& m) {
                   return (m.has_ack() && m.ack().request_id() == kEmissionOffRequestId) ||
                          (m.has_laser_status() && m.laser_status().emission() != proto::EMISSION_STATE_EMITTING);
                 }) != nullptr &&
                 recorder.find([](const auto& m) { return m.has_nack() && m.nack().request_id() == kEmissionOffRequestId; }) ==
                     nullptr;
        }, 500);
    off.result = accepted ? Result::Pass : Result::Fail;
    off.detail = written.ok ? (accepted ? QStringLiteral("acknowledged or status shows no emission")
                                        : QStringLiteral("no acknowledgement or non-emitting status"))
                            : QString::fromStdString(written.error);
    const bool declared = record.firmwareWatchdog() && link->deviceInfo()->laser().firmware_watchdog();
    watchdog.result = Result::Info;
    watchdog.detail = declared ? QStringLiteral("yes, %1 ms").arg(link->deviceInfo()->laser().watchdog_timeout_ms())
                               : QStringLiteral("NO: the clinic must declare a hardware interlock loop before arming");
    if (!declared) {
      keepAlive.result = Result::NotApplicable;
      keepAlive.detail = QStringLiteral("the device has no watchdog to feed");
    } else {
      keepAlive.mandatory = true;
      recorder.clear();
      const auto sent = path->sendKeepAlive();
      const bool acked = sent.ok && waitFor([&] {
        return recorder.find([](const auto& m) { return m.has_ack() && m.ack().request_id() == kKeepAliveRequestId; }) != nullptr;
      }, 300);
      keepAlive.result = acked ? Result::Pass : Result::Fail;
      keepAlive.detail = acked ? QStringLiteral("acknowledged, round trip %1 ms").arg(link->health().keepAliveRttMs.value_or(-1), 0, 'f', 2)
                               : QStringLiteral("not acknowledged within 300 ms");
    }
  }
  add(off);
  add(keepAlive);
  add(watchdog);

  // Let the device talk a little longer so the offline checks and the
  // throughput figure have real traffic.
  waitFor([] { return false; }, 500);
  const auto health = link->health();
  const double sessionSeconds = static_cast<double>(sessionTimer.nsecsElapsed()) / 1e9;
  link.reset();

  std::vector<std::uint8_t> captured;
  {
    std::lock_guard lock(rawMutex);
    captured = deviceBytes;
  }

  // 8. Recovery after garbage, truncated and oversize input, fed straight to
  // the driver: afterwards it must still be alive and not failed.
  std::mt19937 rng(1234);
  auto randomBytes = [&](std::size_t n) {
    std::vector<std::uint8_t> v(n);
    for (auto& b : v) b = static_cast<std::uint8_t>(rng());
    return v;
  };
  auto recovery = check(QStringLiteral("recovery"),
                        QStringLiteral("Decodes the device again after garbage, truncated and oversize input"), true);
  {
    std::optional<std::string> failure;
    const std::vector<std::uint8_t> half(captured.begin(), captured.begin() + static_cast<std::ptrdiff_t>(captured.size() / 2));
    const auto clean = decodeCount(record, options.settingsJson, {captured}, failure);
    const auto afterAbuse =
        decodeCount(record, options.settingsJson, {randomBytes(4096), half, randomBytes(1 << 20), captured}, failure);
    recovery.result = !failure && clean > 0 && afterAbuse > 0 ? Result::Pass : Result::Fail;
    recovery.detail = failure ? QString::fromStdString(*failure)
                              : QStringLiteral("%1 messages from %2 captured bytes alone, %3 after 4 KiB garbage, a "
                                               "truncated half and 1 MiB of noise")
                                    .arg(clean)
                                    .arg(captured.size())
                                    .arg(afterAbuse);
  }
  add(recovery);

  // 9. Bounded time per call under a fuzz burst.
  auto bounded = check(QStringLiteral("bounded_time"), QStringLiteral("Every call returns within the budget under a fuzz burst"), true);
  {
    PluginCodec codec(record, options.settingsJson);
    codec.openingBytes(1);
    const DeviceCodec::MessageSink sink = [](const proto::Envelope&) {};
    double worstMs = 0;
    std::uniform_int_distribution<int> length(0, 512);
    for (int i = 0; i < options.fuzzChunks && !codec.failure(); ++i) {
      const auto chunk = randomBytes(static_cast<std::size_t>(length(rng)));
      QElapsedTimer t;
      t.start();
      codec.decode(chunk, sink);
      worstMs = std::max(worstMs, static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    bounded.result = !codec.failure() && worstMs <= options.callBudgetMs ? Result::Pass : Result::Fail;
    bounded.detail = codec.failure() ? QString::fromStdString(*codec.failure())
                                     : QStringLiteral("worst call %1 ms over %2 random chunks (budget %3 ms)")
                                           .arg(worstMs, 0, 'f', 3)
                                           .arg(options.fuzzChunks)
                                           .arg(options.callBudgetMs);
  }
  add(bounded);

  // 10. Throughput as the link measured it.
  auto throughput = check(QStringLiteral("throughput"), QStringLiteral("Device-to-host throughput"), false);
  throughput.result = Result::Info;
  throughput.detail = QStringLiteral("%1 kB/s over %2 s, %3 messages, %4 frame errors, %5 lost")
                          .arg(static_cast<double>(health.bytesIn - bytesAtStart) / 1000 / sessionSeconds, 0, 'f', 1)
                          .arg(sessionSeconds, 0, 'f', 1)
                          .arg(health.frames)
                          .arg(health.frameErrors())
                          .arg(health.lostSequences);
  add(throughput);
  return report;
}

}  // namespace tautband::devices
