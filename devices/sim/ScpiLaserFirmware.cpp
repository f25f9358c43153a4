#include "devices/sim/ScpiLaserFirmware.h"

#include <QString>
#include <QStringList>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace tautband::devices::sim {
namespace {

// SCPI long forms to the short ones this firmware matches on.
QString normalise(QString header) {
  header = header.toUpper();
  for (const auto& [longForm, shortForm] : {std::pair{"LASER", "LAS"}, std::pair{"OUTPUT", "OUT"},
                                            std::pair{"LIMIT", "LIM"}, std::pair{"CONDITION", "COND"}}) {
    header.replace(QLatin1String(longForm), QLatin1String(shortForm));
  }
  return header;
}

std::string decimal(double value, int precision) {
  char buffer[64];
  const auto end =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, precision).ptr;
  return std::string(buffer, end);
}

}  // namespace

ScpiLaserFirmware::ScpiLaserFirmware(ScpiLaserFirmwareConfig config, EventSink events)
    : config_(std::move(config)), events_(std::move(events)), limitMa_(config_.currentLimitMa) {}

std::uint32_t ScpiLaserFirmware::condition() const {
  std::uint32_t cond = 0;
  if (!interlockClosed_) cond |= 1u << 4;
  if (openCircuit_) cond |= 1u << 7;
  if (output_) cond |= 1u << 10;
  if (output_ && setMa_ >= limitMa_) cond |= 1u << 0;
  return cond;
}

void ScpiLaserFirmware::onBytes(std::span<const std::uint8_t> bytes, const SimTime& time,
                                FirmwareOutput& out) {
  for (const auto b : bytes) {
    if (b == '\r' || b == '\n') {
      if (!line_.empty()) onLine(line_, time, out);
      line_.clear();
    } else if (line_.size() < 256) {
      line_.push_back(static_cast<char>(b));
    }
  }
}

void ScpiLaserFirmware::pushError(int code) {
  if (errors_.size() < 32) errors_.push_back(code);
}

void ScpiLaserFirmware::onLine(const std::string& text, const SimTime& time, FirmwareOutput& out) {
  // Several commands may share a line, separated by ';'.
  for (const auto& part :
       QString::fromLatin1(text.data(), static_cast<qsizetype>(text.size())).split(QLatin1Char(';'))) {
    const QString trimmed = part.trimmed();
    if (trimmed.isEmpty()) continue;
    const qsizetype space = trimmed.indexOf(QLatin1Char(' '));
    const QString header = normalise(space < 0 ? trimmed : trimmed.left(space));
    const QString argument = space < 0 ? QString() : trimmed.mid(space + 1).trimmed();
    bool numberOk = false;
    const double number = argument.toDouble(&numberOk);

    if (header == QLatin1String("*IDN?")) {
      reply(out, "Tautband,Simulated SCPI laser diode source," + config_.serial + ",sim-1.0");
    } else if (header == QLatin1String("ERR?")) {
      if (errors_.empty()) {
        reply(out, "0");
      } else {
        std::string list;
        for (const int code : errors_) {
          if (!list.empty()) list += ',';
          list += std::to_string(code);
        }
        errors_.clear();
        reply(out, list);
      }
    } else if (header == QLatin1String("LAS:OUT")) {
      if (!numberOk || (number != 0 && number != 1))
        pushError(kErrBadParameter);
      else if (number == 1 && (!interlockClosed_ || !keyOn_ || openCircuit_))
        pushError(kErrInterlock);
      else
        setOutput(number == 1, QStringLiteral("command"), time);
    } else if (header == QLatin1String("LAS:OUT?")) {
      reply(out, output_ ? "1" : "0");
    } else if (header == QLatin1String("LAS:LDI")) {
      if (!numberOk)
        pushError(kErrBadParameter);
      else if (number < 0 || number > limitMa_)
        pushError(kErrOutOfRange);
      else
        setMa_ = number;
    } else if (header == QLatin1String("LAS:SET:LDI?")) {
      reply(out, decimal(setMa_, 2));
    } else if (header == QLatin1String("LAS:LDI?")) {
      std::normal_distribution<double> noise(0.0, 0.05);
      reply(out, decimal(output_ ? std::max(0.0, setMa_ + noise(rng_)) : 0.0, 2));
    } else if (header == QLatin1String("LAS:LIM:LDI")) {
      if (!numberOk)
        pushError(kErrBadParameter);
      else if (number < 0 || number > config_.maxCurrentMa)
        pushError(kErrOutOfRange);
      else
        limitMa_ = number;
    } else if (header == QLatin1String("LAS:LIM:LDI?")) {
      reply(out, decimal(limitMa_, 2));
    } else if (header == QLatin1String("LAS:COND?")) {
      reply(out, std::to_string(condition()));
    } else {
      pushError(kErrUnknownCommand);  // the real source answers nothing to unknown commands either
    }
  }
}

void ScpiLaserFirmware::setOutput(bool on, const QString& reason, const SimTime& time) {
  if (output_ == on) return;
  output_ = on;
  if (events_) {
    QJsonObject fields{
        {"on", on}, {"device_time_us", static_cast<double>(time.nowUs)}, {"current_ma", setMa_}};
    if (!on) fields.insert(QStringLiteral("reason"), reason);
    events_(QStringLiteral("emission"), fields);
  }
}

void ScpiLaserFirmware::tick(const SimTime&, FirmwareOutput&) {
  // Nothing periodic: no status messages and, deliberately, no watchdog.
}

CommandOutcome ScpiLaserFirmware::command(const QString& verb, const QString& arg, const SimTime& time,
                                          FirmwareOutput&) {
  if (verb == QLatin1String("interlock") &&
      (arg == QLatin1String("open") || arg == QLatin1String("closed"))) {
    interlockClosed_ = arg == QLatin1String("closed");
    if (!interlockClosed_) setOutput(false, QStringLiteral("interlock"), time);
  } else if (verb == QLatin1String("key") && (arg == QLatin1String("on") || arg == QLatin1String("off"))) {
    keyOn_ = arg == QLatin1String("on");
    if (!keyOn_) setOutput(false, QStringLiteral("key"), time);
  } else if (verb == QLatin1String("fault")) {
    openCircuit_ = true;  // any injected fault is an open circuit: the source turns its output off
    setOutput(false, QStringLiteral("open circuit"), time);
    if (events_)
      events_(QStringLiteral("fault"), {{"code", arg}, {"detail", QStringLiteral("open circuit")}});
  } else if (verb == QLatin1String("clear")) {
    openCircuit_ = false;
  } else {
    return {};
  }
  return {CommandOutcome::Done, {}};
}

void ScpiLaserFirmware::corrupt(std::span<std::uint8_t> unit) {
  // A garbled character, not a line ending: the host gets a line it cannot parse.
  if (unit.size() > 2) unit[0] = '#';
}

}  // namespace tautband::devices::sim
