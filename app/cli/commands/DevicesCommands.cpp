#include "cli/commands/DevicesCommands.h"

#include "cli/commands/DriverSupport.h"
#include "cli/commands/LinkWait.h"
#include "devices/bluetooth/BluetoothDiscovery.h"
#include "devices/bluetooth/BluetoothLinks.h"
#include "devices/link/PortIdentity.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <google/protobuf/util/json_util.h>

#include <cmath>

namespace tautband::cli {
namespace {

namespace proto = devices::proto;

const QCommandLineOption kPortOption(QStringLiteral("port"),
                                     QStringLiteral("Serial port or pty path, or ble:AA:BB:CC:DD:EE:FF (Nordic UART "
                                                    "Service) or rfcomm:AA:BB:CC:DD:EE:FF (Serial Port Profile)."),
                                     QStringLiteral("path"));
const QCommandLineOption kScanOption(QStringLiteral("scan"),
                                     QStringLiteral("Scan for Bluetooth devices for this many seconds first."),
                                     QStringLiteral("s"), QStringLiteral("0"));
const QCommandLineOption kBaudOption(QStringLiteral("baud"), QStringLiteral("Baud rate (default: the driver's)."),
                                     QStringLiteral("n"), QStringLiteral("0"));
const QCommandLineOption kSettingsOption(QStringLiteral("settings"),
                                         QStringLiteral("Driver settings as a JSON object (default {})."),
                                         QStringLiteral("json"), QStringLiteral("{}"));

QString requirePort(const QCommandLineParser& args) {
  const QString port = args.value(kPortOption);
  if (port.isEmpty()) throw CommandError(kExitUsage, QStringLiteral("--port is required"));
  if (devices::isBluetoothPort(port)) {
    QString error;
    if (!devices::parseBluetoothPort(port, error)) throw CommandError(kExitUsage, error);
    return port;
  }
  if (!QFileInfo::exists(port)) throw CommandError(kExitUsage, QStringLiteral("no such port: %1").arg(port));
  return port;
}

qint32 baudOf(const QCommandLineParser& args) {
  bool ok = false;
  const int baud = args.value(kBaudOption).toInt(&ok);
  if (!ok || baud < 0) throw CommandError(kExitUsage, QStringLiteral("--baud needs a positive number"));
  return baud;
}

QJsonObject toJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

QString describe(const proto::DeviceInfo& info) {
  QString text = QStringLiteral("%1 %2\n  serial    %3\n  firmware  %4\n  protocol  %5.%6\n")
                     .arg(QString::fromStdString(info.vendor()), QString::fromStdString(info.model()),
                          QString::fromStdString(info.serial()), QString::fromStdString(info.firmware()))
                     .arg(info.protocol().major())
                     .arg(info.protocol().minor());
  if (info.has_laser()) {
    const auto& laser = info.laser();
    for (const auto& source : laser.sources()) {
      QStringList modes;
      for (int m : source.modes()) modes << QString::fromStdString(proto::LaserMode_Name(static_cast<proto::LaserMode>(m)));
      text += QStringLiteral("  laser     %1 nm, max %2 mW, %3\n")
                  .arg(source.wavelength_nm())
                  .arg(source.max_power_mw())
                  .arg(modes.join(QStringLiteral("/")));
    }
    text += QStringLiteral("  watchdog  %1\n")
                .arg(laser.firmware_watchdog() ? QStringLiteral("firmware, %1 ms").arg(laser.watchdog_timeout_ms())
                                               : QStringLiteral("NONE (needs a hardware interlock loop)"));
  }
  if (info.has_emg()) {
    const auto& emg = info.emg();
    QStringList rates;
    for (auto r : emg.sample_rates_hz()) rates << QString::number(r);
    text += QStringLiteral("  emg       %1 channels, rates %2 Hz, %3 µV/unit, %4 bits, applied part %5\n")
                .arg(emg.channels())
                .arg(rates.join(QStringLiteral(", ")))
                .arg(emg.microvolts_per_unit())
                .arg(emg.resolution_bits())
                .arg(QString::fromStdString(proto::AppliedPart_Name(emg.applied_part())));
  }
  return text;
}

devices::LinkOptions oneShotOptions() {
  devices::LinkOptions options;
  options.reconnect = false;
  return options;
}

// The catalog must outlive the link (the link's codec calls into the plugin).
struct DriverLink {
  std::unique_ptr<devices::DriverCatalog> catalog = std::make_unique<devices::DriverCatalog>();
  std::unique_ptr<devices::DeviceLink> link;
  devices::DeviceLink* operator->() const { return link.get(); }
  devices::DeviceLink& operator*() const { return *link; }
  devices::DeviceLink* get() const { return link.get(); }
};

DriverLink openDriverLink(const QString& name, const QString& port, const QCommandLineParser& args,
                          CommandContext& context) {
  DriverLink result;
  loadDrivers(*result.catalog, args, context);
  const auto& driver = requireDriver(*result.catalog, args);
  const QString settings = args.value(kSettingsOption);
  if (!QJsonDocument::fromJson(settings.toUtf8()).isObject()) {
    throw CommandError(kExitUsage, QStringLiteral("--settings must be a JSON object"));
  }
  try {
    if (devices::isBluetoothPort(port)) {
      auto options = devices::defaultBluetoothLinkOptions();
      options.reconnect = false;
      result.link = devices::makeDriverBluetoothLink(name, port, driver, settings.toStdString(), options).link;
      return result;
    }
    result.link = devices::makeDriverSerialLink(name, port, driver, baudOf(args), settings.toStdString(), oneShotOptions());
  } catch (const std::runtime_error& e) {
    throw CommandError(kExitUsage, QString::fromStdString(e.what()));
  }
  return result;
}

}  // namespace

// ------------------------------------------------------------ devices list

CommandSpec DevicesListCommand::spec() const {
  return {{QStringLiteral("devices"), QStringLiteral("list")},
          QStringLiteral("List serial ports, Bluetooth devices and device drivers."),
          QStringLiteral("Ports are listed from the system's port information and never opened. Ptys made by "
                         "simulators are not listed: pass their path to --port. Drivers are loaded from the install "
                         "directory, <data-dir>/drivers and each --plugin-dir; ones that fail are listed with why. Bluetooth: "
                         "devices BlueZ knows that advertise the Nordic UART Service or match a driver's name "
                         "pattern (--scan N scans first); listing never connects."),
          {kPluginDirOption, kScanOption},
          {}};
}

int DevicesListCommand::run(const QCommandLineParser& args, CommandContext& context) {
  QJsonArray ports;
  QString text = QStringLiteral("Serial ports:\n");
  const auto discovered = devices::discoverSerialPorts();
  for (const auto& port : discovered) {
    ports.append(QJsonObject{{"path", port.path},
                             {"description", port.description},
                             {"manufacturer", port.manufacturer},
                             {"serial_number", port.usbSerial},
                             {"vid", port.vendorId},
                             {"pid", port.productId},
                             {"by_id", port.byIdPath}});
    text += QStringLiteral("  %1  %2 %3%4\n")
                .arg(port.path, port.description, port.usbSerial.isEmpty() ? QString() : QStringLiteral("serial ") + port.usbSerial,
                     port.byIdPath.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(port.byIdPath));
  }
  if (discovered.isEmpty()) text += QStringLiteral("  (none)\n");
  devices::DriverCatalog catalog;
  loadDrivers(catalog, args, context);
  QJsonArray drivers;
  text += QStringLiteral("Drivers:\n");
  for (const auto& d : catalog.records()) {
    const QString api = d.apiMajor ? QStringLiteral("%1.%2").arg(d.apiMajor).arg(d.apiMinor) : QString();
    drivers.append(QJsonObject{{"id", d.id},
                               {"vendor", d.vendor},
                               {"name", d.name},
                               {"version", d.version},
                               {"api_version", api},
                               {"status", d.statusName()},
                               {"reason", d.reason},
                               {"path", d.path},
                               {"firmware_watchdog", d.manifest.value(QStringLiteral("firmware_watchdog"))},
                               {"patient_isolation", d.manifest.value(QStringLiteral("patient_isolation"))}});
    text += QStringLiteral("  %1  %2 %3 (API %4)  %5%6\n")
                .arg(d.id.isEmpty() ? QFileInfo(d.path).fileName() : d.id, d.vendor, d.version, api, d.statusName(),
                     d.reason.isEmpty() ? QString() : QStringLiteral(": ") + d.reason);
  }
  if (catalog.records().isEmpty()) text += QStringLiteral("  (none found in %1)\n").arg(devices::DriverCatalog::installDirectory());
  const auto bluetooth = devices::discoverBluetoothDevices(QDBusConnection::systemBus(), catalog,
                                                           static_cast<int>(args.value(kScanOption).toDouble() * 1000));
  QJsonArray bluetoothDevices;
  text += QStringLiteral("Bluetooth devices:\n");
  for (const auto& d : bluetooth.devices) {
    bluetoothDevices.append(QJsonObject{{"address", d.address}, {"name", d.name}, {"port", d.port},
                                        {"paired", d.paired}, {"connected", d.connected},
                                        {"rssi", d.rssi ? QJsonValue(*d.rssi) : QJsonValue()},
                                        {"driver", d.driverId}, {"why", d.why}});
    text += QStringLiteral("  %1  %2  %3%4 (%5)\n")
                .arg(d.port.isEmpty() ? d.address : d.port, d.name, d.paired ? QStringLiteral("paired") : QStringLiteral("not paired"),
                     d.connected ? QStringLiteral(", connected") : QString(), d.why);
  }
  if (!bluetooth.available) text += QStringLiteral("  (BlueZ not available: %1)\n").arg(bluetooth.error);
  else if (bluetooth.devices.isEmpty()) text += QStringLiteral("  (none)\n");
  context.print(QJsonObject{{"ports", ports}, {"drivers", drivers}, {"bluetooth", bluetoothDevices},
                            {"bluetooth_available", bluetooth.available}},
                text);
  return kExitOk;
}

// ----------------------------------------------------------- devices probe

CommandSpec DevicesProbeCommand::spec() const {
  return {{QStringLiteral("devices"), QStringLiteral("probe")},
          QStringLiteral("Open a port, say Hello and print the device's DeviceInfo."),
          QStringLiteral("Exit 1 when no DeviceInfo arrives within 2 s or the protocol major differs."),
          {kPortOption, kBaudOption, kDriverOption, kPluginDirOption, kSettingsOption},
          {}};
}

int DevicesProbeCommand::run(const QCommandLineParser& args, CommandContext& context) {
  const QString port = requirePort(args);
  auto link = openDriverLink(QStringLiteral("probe"), port, args, context);
  const auto info = openAndIdentify(*link, 2000);
  context.print(toJson(info), describe(info));
  return kExitOk;
}

// -------------------------------------------------------------- emg record

CommandSpec EmgRecordCommand::spec() const {
  return {{QStringLiteral("emg"), QStringLiteral("record")},
          QStringLiteral("Record an EMG stream to CSV (t_s,ch1,... in µV)."),
          QStringLiteral("Refuses a rate and channel count the link cannot carry. The summary reports frames, lost "
                         "frames (from sequence numbers), the measured sample rate and link errors."),
          {kPortOption, kBaudOption, kDriverOption, kPluginDirOption, kSettingsOption,
           QCommandLineOption(QStringLiteral("seconds"), QStringLiteral("How long to record."), QStringLiteral("n")),
           QCommandLineOption(QStringLiteral("out"), QStringLiteral("CSV file to write."), QStringLiteral("file")),
           QCommandLineOption(QStringLiteral("rate"), QStringLiteral("Sample rate in Hz (default: the device's)."),
                              QStringLiteral("hz"), QStringLiteral("0")),
           QCommandLineOption(QStringLiteral("channels"), QStringLiteral("Channels (default: the device's)."),
                              QStringLiteral("n"), QStringLiteral("0"))},
          {}};
}

int EmgRecordCommand::run(const QCommandLineParser& args, CommandContext& context) {
  const QString port = requirePort(args);
  bool ok = false;
  const double seconds = args.value(QStringLiteral("seconds")).toDouble(&ok);
  if (!ok || seconds <= 0 || seconds > 24 * 3600) throw CommandError(kExitUsage, QStringLiteral("--seconds needs a duration > 0"));
  const QString outPath = args.value(QStringLiteral("out"));
  if (outPath.isEmpty()) throw CommandError(kExitUsage, QStringLiteral("--out is required"));
  const uint rate = args.value(QStringLiteral("rate")).toUInt(&ok);
  if (!ok) throw CommandError(kExitUsage, QStringLiteral("--rate needs a number of Hz"));
  const uint channels = args.value(QStringLiteral("channels")).toUInt(&ok);
  if (!ok || channels > 64) throw CommandError(kExitUsage, QStringLiteral("--channels needs 1..64"));

  QFile out(outPath);
  if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
    throw CommandError(kExitUsage, QStringLiteral("cannot write %1: %2").arg(outPath, out.errorString()));
  }

  auto link = openDriverLink(QStringLiteral("record"), port, args, context);
  const auto info = openAndIdentify(*link, 2000);
  if (!info.has_emg()) throw CommandError(kExitUsage, QStringLiteral("%1 is not an EMG device").arg(port));
  const auto& emg = info.emg();

  // The rate the device will use is only known from its frames when we leave it to the device.
  const std::uint32_t wantedChannels = channels ? channels : 0;
  if (rate && channels) {
    const double need = devices::nativeStreamBytesPerSecond(rate, channels, emg.resolution_bits(), 1);
    const double cap = link->health().rateCapBytesPerSecond;
    if (need > cap) {
      throw CommandError(kExitUsage, QStringLiteral("%1 ch x %2 Hz needs %3 kB/s but the link carries %4 kB/s")
                                         .arg(channels)
                                         .arg(rate)
                                         .arg(need / 1000, 0, 'f', 0)
                                         .arg(cap / 1000, 0, 'f', 0));
    }
  }

  QTextStream csv(&out);
  std::uint64_t frames = 0, samples = 0, lost = 0;
  std::optional<std::uint64_t> lastSequence, firstDeviceUs;
  std::uint32_t streamChannels = 0, streamRate = 0;
  std::optional<QString> nack;
  bool reachedEnd = false;
  const double uvPerUnit = emg.microvolts_per_unit();

  QEventLoop loop;
  QTimer stopTimer;
  stopTimer.setSingleShot(true);
  QObject::connect(&stopTimer, &QTimer::timeout, &loop, &QEventLoop::quit);
  QObject::connect(link.get(), &devices::DeviceLink::messageReceived, &loop,
                   [&](const std::shared_ptr<const proto::Envelope>& message) {
                     if (message->has_nack()) {
                       nack = QString::fromStdString(message->nack().detail());
                       loop.quit();
                       return;
                     }
                     if (!message->has_emg_frame()) return;
                     const auto& frame = message->emg_frame();
                     if (frame.channel_count() == 0 || frame.sample_rate_hz() == 0) return;
                     if (!firstDeviceUs) {
                       firstDeviceUs = frame.device_time_us();
                       streamChannels = frame.channel_count();
                       streamRate = frame.sample_rate_hz();
                       csv << "t_s";
                       for (std::uint32_t c = 1; c <= streamChannels; ++c) csv << ",ch" << c;
                       csv << '\n';
                       // Wall-clock fallback: a stream that stalls must not hang the command.
                       stopTimer.start(static_cast<int>(seconds * 1000) + 2000);
                     }
                     // Record exactly `seconds` of device time.
                     if (static_cast<double>(frame.device_time_us() - *firstDeviceUs) >= seconds * 1e6) {
                       reachedEnd = true;
                       loop.quit();
                       return;
                     }
                     if (lastSequence && frame.sequence() > *lastSequence + 1) lost += frame.sequence() - *lastSequence - 1;
                     lastSequence = frame.sequence();
                     ++frames;
                     const auto perFrame = static_cast<std::uint32_t>(frame.samples_size()) / frame.channel_count();
                     const double t0 = static_cast<double>(frame.device_time_us() - *firstDeviceUs) / 1e6;
                     for (std::uint32_t i = 0; i < perFrame; ++i) {
                       csv << QString::number(t0 + static_cast<double>(i) / frame.sample_rate_hz(), 'f', 6);
                       for (std::uint32_t c = 0; c < frame.channel_count(); ++c) {
                         csv << ',' << QString::number(frame.samples(static_cast<int>(i * frame.channel_count() + c)) * uvPerUnit, 'f', 1);
                       }
                       csv << '\n';
                     }
                     samples += perFrame;
                   });
  QObject::connect(link.get(), &devices::DeviceLink::stateChanged, &loop, [&](devices::LinkState state, const QString&) {
    if (state == devices::LinkState::Failed || state == devices::LinkState::Reconnecting) loop.quit();
  });
  proto::Envelope start;
  start.mutable_emg_command()->set_request_id(1);
  start.mutable_emg_command()->mutable_start()->set_sample_rate_hz(rate);
  start.mutable_emg_command()->mutable_start()->set_channel_count(wantedChannels);
  // No first frame within 2 s means the stream never started.
  QTimer::singleShot(2000, &loop, [&] {
    if (!firstDeviceUs) loop.quit();
  });
  QElapsedTimer wall;
  wall.start();
  link->send(start);
  loop.exec();

  proto::Envelope stop;
  stop.mutable_emg_command()->set_request_id(2);
  stop.mutable_emg_command()->mutable_stop();
  link->send(stop);
  csv.flush();
  out.close();

  if (nack) throw CommandError(kExitCheckFailed, QStringLiteral("the device refused the stream: %1").arg(*nack));
  if (!firstDeviceUs) throw CommandError(kExitCheckFailed, QStringLiteral("no EMG frames arrived within 2 s"));
  const auto health = link->health();
  // Samples per second of device time: what the device really delivered.
  const double measuredRate = static_cast<double>(samples) / seconds;
  const bool linkLost = !reachedEnd;
  context.print(QJsonObject{{"out", outPath},
                            {"frames", static_cast<double>(frames)},
                            {"lost_frames", static_cast<double>(lost)},
                            {"samples_per_channel", static_cast<double>(samples)},
                            {"channels", static_cast<int>(streamChannels)},
                            {"sample_rate_hz", static_cast<int>(streamRate)},
                            {"measured_rate_hz", measuredRate},
                            {"link_errors", static_cast<double>(health.frameErrors())},
                            {"complete", !linkLost}},
                QStringLiteral("Recorded %1 s to %2: %3 frames, %4 lost, %5 ch at %6 Hz (measured %7 Hz), %8 link errors%9\n")
                    .arg(seconds)
                    .arg(outPath)
                    .arg(frames)
                    .arg(lost)
                    .arg(streamChannels)
                    .arg(streamRate)
                    .arg(measuredRate, 0, 'f', 1)
                    .arg(health.frameErrors())
                    .arg(linkLost ? QStringLiteral(" — the stream ended before the time was up") : QString()));
  return linkLost ? kExitCheckFailed : kExitOk;
}

}  // namespace tautband::cli
