#include "cli/commands/EmgDetectCommand.h"

#include "emg/EmgRecording.h"
#include "emg/OfflineDetection.h"

#include <QFile>
#include <QJsonArray>

#include <stdexcept>

namespace tautband::cli {

namespace {

QString csvOf(const std::vector<emg::LtrEvent>& events, int channelBase) {
  QString text = QStringLiteral("onset_s,offset_s,peak_uv,channel,confidence\n");
  for (const auto& e : events) {
    text += QStringLiteral("%1,%2,%3,%4,%5\n")
                .arg(e.onsetS, 0, 'f', 4)
                .arg(e.hasOffset ? QString::number(e.offsetS, 'f', 4) : QString())
                .arg(static_cast<double>(e.peakUv), 0, 'f', 1)
                .arg(e.channel + channelBase)
                .arg(static_cast<double>(e.confidence), 0, 'f', 3);
  }
  return text;
}

}  // namespace

CommandSpec EmgDetectCommand::spec() const {
  return CommandSpec{
      .path = {QStringLiteral("emg"), QStringLiteral("detect")},
      .summary = QStringLiteral("Detect local twitch responses in a needle-EMG recording."),
      .description = QStringLiteral(
          "Reads WFDB (a .hea path or record stem, format 16) or CSV (t_s,ch1,... in uV) and runs the\n"
          "same streaming detector the console uses live. Writes CSV onset_s,offset_s,peak_uv,channel,\n"
          "confidence (channels count from 1) to stdout or --out; --json prints a summary with the events."),
      .options = {QCommandLineOption(QStringLiteral("input"), QStringLiteral("Recording to read (required)."),
                                     QStringLiteral("file")),
                  QCommandLineOption(QStringLiteral("channel"), QStringLiteral("Only this channel (from 1)."),
                                     QStringLiteral("n")),
                  QCommandLineOption(QStringLiteral("out"), QStringLiteral("Write the event CSV here."),
                                     QStringLiteral("file.csv")),
                  QCommandLineOption(QStringLiteral("notch"), QStringLiteral("Mains notch: 50 or 60 Hz."),
                                     QStringLiteral("hz"))},
      .positionals = {},
  };
}

int EmgDetectCommand::run(const QCommandLineParser& args, CommandContext& context) {
  const QString input = args.value(QStringLiteral("input"));
  if (input.isEmpty()) throw CommandError(kExitUsage, QStringLiteral("emg detect needs --input FILE"));

  emg::EmgRecording recording;
  try {
    recording = emg::readEmgRecording(input.toStdString());
  } catch (const emg::EmgReadError& e) {
    throw CommandError(kExitUsage, QString::fromStdString(e.what()));
  }

  int channelBase = 1;
  if (args.isSet(QStringLiteral("channel"))) {
    bool ok = false;
    const int channel = args.value(QStringLiteral("channel")).toInt(&ok);
    if (!ok || channel < 1 || channel > static_cast<int>(recording.channels)) {
      throw CommandError(kExitUsage, QStringLiteral("--channel must be 1..%1").arg(recording.channels));
    }
    recording = recording.channel(static_cast<std::size_t>(channel - 1));
    channelBase = channel;
  }

  emg::PipelineSettings settings;
  if (args.isSet(QStringLiteral("notch"))) {
    bool ok = false;
    settings.filter.notchHz = args.value(QStringLiteral("notch")).toDouble(&ok);
    if (!ok || (settings.filter.notchHz != 50 && settings.filter.notchHz != 60)) {
      throw CommandError(kExitUsage, QStringLiteral("--notch must be 50 or 60"));
    }
  }

  emg::DetectionResult result;
  try {
    result = emg::detectLtrs(recording, settings);
  } catch (const std::invalid_argument& e) {
    throw CommandError(kExitUsage, QString::fromStdString(e.what()));
  }
  const QString csv = csvOf(result.events, channelBase);

  const QString outPath = args.value(QStringLiteral("out"));
  if (!outPath.isEmpty()) {
    QFile file(outPath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text) ||
        file.write(csv.toUtf8()) < 0) {
      throw CommandError(kExitUsage, QStringLiteral("cannot write %1").arg(outPath));
    }
  }

  if (context.json()) {
    QJsonArray events;
    QJsonObject perChannel;
    for (const auto& e : result.events) {
      const QString ch = QString::number(e.channel + channelBase);
      perChannel[ch] = perChannel.value(ch).toInt() + 1;
      events.append(QJsonObject{{"onset_s", e.onsetS},
                                {"offset_s", e.hasOffset ? QJsonValue(e.offsetS) : QJsonValue()},
                                {"peak_uv", static_cast<double>(e.peakUv)},
                                {"channel", e.channel + channelBase},
                                {"confidence", static_cast<double>(e.confidence)}});
    }
    const auto& st = result.statistics;
    context.print(QJsonObject{{"input", input},
                              {"sample_rate_hz", recording.sampleRateHz},
                              {"channels", static_cast<int>(recording.channels)},
                              {"duration_s", result.durationS},
                              {"events", events},
                              {"count", static_cast<int>(result.events.size())},
                              {"count_per_channel", perChannel},
                              {"rejected",
                               QJsonObject{{"insertion", static_cast<double>(st.rejectedInsertion)},
                                           {"spike_train", static_cast<double>(st.rejectedSpikeTrain)},
                                           {"refractory", static_cast<double>(st.rejectedRefractory)},
                                           {"sparse", static_cast<double>(st.rejectedSparse)},
                                           {"retracted", static_cast<double>(st.retracted)}}},
                              {"out", outPath.isEmpty() ? QJsonValue() : QJsonValue(outPath)}},
                  QString());
  } else if (outPath.isEmpty()) {
    context.out() << csv;
  } else {
    context.out() << QStringLiteral("%1 LTR event(s) in %2 s of %3 channel(s) written to %4\n")
                         .arg(result.events.size())
                         .arg(result.durationS, 0, 'f', 1)
                         .arg(recording.channels)
                         .arg(outPath);
  }
  return kExitOk;
}

}  // namespace tautband::cli
