#include "devices/sim/SimulatorMain.h"

#include "core/BuildInfo.h"
#include "core/Logging.h"
#include "devices/sim/BitalinoFirmware.h"
#include "devices/sim/CytonFirmware.h"
#include "devices/sim/NativeFirmware.h"
#include "devices/sim/ScpiLaserFirmware.h"
#include "devices/sim/SimulatorHost.h"
#include "emg/EmgRecording.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cmath>
#include <csignal>
#include <cstdio>

namespace tautband::devices::sim {
namespace {

int usage(const QString& message) {
  std::fprintf(stderr, "tautband-sim: %s (see 'tautband-sim --help')\n", qPrintable(message));
  return 2;
}

std::optional<std::uint32_t> parseUnsigned(const QString& text, std::uint32_t min, std::uint32_t max) {
  bool ok = false;
  const uint value = text.toUInt(&ok);
  if (!ok || value < min || value > max) return std::nullopt;
  return value;
}

}  // namespace

int runSimulator(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QCoreApplication::setApplicationName(QStringLiteral("tautband-sim"));
  std::signal(SIGPIPE, SIG_IGN);
  core::routeQtMessagesToLog();

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral(
      "A simulated device on a pseudo-terminal. The first line on stdout is the pty path (a JSON object with "
      "--json). KIND: laser or emg (native protocol), cyton (OpenBCI Cyton), bitalino (BITalino), scpi-laser "
      "(SCPI laser diode source, no watchdog). Commands on stdin: drop N, corrupt, stall MS, disconnect, "
      "slow "
      "FACTOR, quit; lasers: interlock open|closed, key off|on, fault CODE, clear; EMG devices: ltr."));
  parser.addHelpOption();
  parser.addPositionalArgument(QStringLiteral("kind"),
                               QStringLiteral("laser, emg, cyton, bitalino or scpi-laser"));
  const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("JSON lines on stdout."));
  const QCommandLineOption link(QStringLiteral("link"),
                                QStringLiteral("Keep a symlink at <path> to the current pty."),
                                QStringLiteral("path"));
  const QCommandLineOption serial(QStringLiteral("serial"), QStringLiteral("Device serial number."),
                                  QStringLiteral("s"));
  const QCommandLineOption noWatchdog(QStringLiteral("no-watchdog"),
                                      QStringLiteral("laser: no firmware watchdog."));
  const QCommandLineOption channels(QStringLiteral("channels"),
                                    QStringLiteral("emg: default channel count, 1..16 (default 1)."),
                                    QStringLiteral("n"), QStringLiteral("1"));
  const QCommandLineOption rate(QStringLiteral("rate"),
                                QStringLiteral("emg: default sample rate in Hz, 250..48000 (default 4000)."),
                                QStringLiteral("hz"), QStringLiteral("4000"));
  const QCommandLineOption ltrEvery(QStringLiteral("ltr-every"),
                                    QStringLiteral("emg: an LTR about every <s> seconds."),
                                    QStringLiteral("s"));
  const QCommandLineOption play(
      QStringLiteral("play"),
      QStringLiteral("emg: play a recording (WFDB record or emg-record CSV) instead of noise."),
      QStringLiteral("record"));
  const QCommandLineOption playChannel(
      QStringLiteral("play-channel"),
      QStringLiteral("emg: which channel of the recording to play (default 1)."), QStringLiteral("n"),
      QStringLiteral("1"));
  const QCommandLineOption daisy(QStringLiteral("daisy"),
                                 QStringLiteral("cyton: a Daisy module (16 channels at 125 Hz)."));
  const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Show the version."));
  parser.addOptions(
      {json, link, serial, noWatchdog, channels, rate, ltrEvery, play, playChannel, daisy, version});
  if (!parser.parse(QCoreApplication::arguments())) return usage(parser.errorText());
  if (parser.isSet(QStringLiteral("help"))) {
    std::printf("%s", qPrintable(parser.helpText()));
    return 0;
  }
  if (parser.isSet(version)) {
    std::printf("tautband-sim %s\n", core::kVersion);
    return 0;
  }
  const QStringList kinds = parser.positionalArguments();
  if (kinds.size() != 1)
    return usage(QStringLiteral("give exactly one KIND: laser, emg, cyton, bitalino or scpi-laser"));
  const QString kind = kinds.first();

  SimulatorOptions options;
  options.json = parser.isSet(json);
  options.linkPath = parser.value(link);
  EventPrinter events(options.json);

  auto ltrOption = [&]() -> bool {
    if (!parser.isSet(ltrEvery)) return true;
    bool ok = false;
    options.ltrEverySeconds = parser.value(ltrEvery).toDouble(&ok);
    return ok && options.ltrEverySeconds > 0;
  };
  std::unique_ptr<DeviceFirmware> firmware;
  if (kind == QLatin1String("laser")) {
    LaserModelConfig config;
    if (parser.isSet(serial)) config.serial = parser.value(serial).toStdString();
    config.firmwareWatchdog = !parser.isSet(noWatchdog);
    firmware = std::make_unique<NativeFirmware>(std::make_unique<LaserModel>(config, events.sink()));
  } else if (kind == QLatin1String("emg")) {
    EmgModelConfig config;
    if (parser.isSet(serial)) config.serial = parser.value(serial).toStdString();
    const auto n = parseUnsigned(parser.value(channels), 1, 16);
    if (!n) return usage(QStringLiteral("--channels must be 1..16"));
    const auto hz = parseUnsigned(parser.value(rate), 250, 48000);
    const auto& rates = EmgModel::supportedRates();
    if (!hz || std::find(rates.begin(), rates.end(), *hz) == rates.end()) {
      return usage(
          QStringLiteral("--rate must be one of 250, 500, 1000, 2000, 4000, 8000, 16000, 24000, 48000"));
    }
    config.defaultChannels = *n;
    config.defaultRateHz = *hz;
    if (!ltrOption()) return usage(QStringLiteral("--ltr-every needs seconds > 0"));
    if (parser.isSet(play)) {
      try {
        const auto recording = emg::readEmgRecording(parser.value(play).toStdString());
        const auto channel =
            parseUnsigned(parser.value(playChannel), 1, static_cast<std::uint32_t>(recording.channels));
        if (!channel) return usage(QStringLiteral("--play-channel must be 1..%1").arg(recording.channels));
        const auto one = recording.channel(*channel - 1);
        config.playback.assign(one.samplesUv.begin(), one.samplesUv.end());
        config.playbackRateHz = static_cast<std::uint32_t>(std::lround(recording.sampleRateHz));
      } catch (const emg::EmgReadError& e) {
        return usage(QStringLiteral("--play: %1").arg(QString::fromStdString(e.what())));
      }
    }
    firmware = std::make_unique<NativeFirmware>(std::make_unique<EmgModel>(config, events.sink()));
  } else if (kind == QLatin1String("cyton")) {
    if (!ltrOption()) return usage(QStringLiteral("--ltr-every needs seconds > 0"));
    CytonFirmwareConfig config;
    config.daisy = parser.isSet(daisy);
    firmware = std::make_unique<CytonFirmware>(config, events.sink());
  } else if (kind == QLatin1String("bitalino")) {
    if (!ltrOption()) return usage(QStringLiteral("--ltr-every needs seconds > 0"));
    firmware = std::make_unique<BitalinoFirmware>(BitalinoFirmwareConfig{}, events.sink());
  } else if (kind == QLatin1String("scpi-laser")) {
    ScpiLaserFirmwareConfig config;
    if (parser.isSet(serial)) config.serial = parser.value(serial).toStdString();
    firmware = std::make_unique<ScpiLaserFirmware>(config, events.sink());
  } else {
    return usage(QStringLiteral("unknown KIND '%1': laser, emg, cyton, bitalino or scpi-laser").arg(kind));
  }

  SimulatorHost host(std::move(firmware), options, events);
  QString error;
  if (!host.start(error)) {
    std::fprintf(stderr, "tautband-sim: %s\n", qPrintable(error));
    return 1;
  }
  return app.exec();
}

}  // namespace tautband::devices::sim
