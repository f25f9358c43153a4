#include "devices/sim/NativeFirmware.h"

#include "tautband/protocols/Envelope.h"

namespace tautband::devices::sim {
namespace {

std::optional<proto::FaultCode> parseFaultCode(const QString& text) {
  bool ok = false;
  const int number = text.toInt(&ok);
  if (ok)
    return proto::FaultCode_IsValid(number) || number >= 1000
               ? std::optional(static_cast<proto::FaultCode>(number))
               : std::nullopt;
  proto::FaultCode code;
  const QString name = text.toUpper().startsWith(QStringLiteral("FAULT_CODE_"))
                           ? text.toUpper()
                           : QStringLiteral("FAULT_CODE_") + text.toUpper();
  if (proto::FaultCode_Parse(name.toStdString(), &code)) return code;
  return std::nullopt;
}

constexpr std::uint8_t kDelimiter[] = {0x00};

}  // namespace

NativeFirmware::NativeFirmware(std::unique_ptr<LaserModel> laser) : laser_(std::move(laser)) {}
NativeFirmware::NativeFirmware(std::unique_ptr<EmgModel> emg) : emg_(std::move(emg)) {}

QString NativeFirmware::kind() const {
  return laser_ ? QStringLiteral("laser") : QStringLiteral("emg");
}

void NativeFirmware::onConnect(const SimTime&, FirmwareOutput& out) {
  decoder_.reset();
  // A sync byte first, so a host that was mid-frame starts clean.
  out.add(std::span<const std::uint8_t>(kDelimiter));
}

void NativeFirmware::onBytes(std::span<const std::uint8_t> bytes, const SimTime& time, FirmwareOutput& out) {
  decoder_.feed(bytes, [&](std::span<const std::uint8_t> payload) {
    if (protocols::parseEnvelope(payload, incoming_)) return;  // malformed: ignored, as firmware would
    if (laser_) laser_->handle(incoming_, time.nowUs, outgoing_);
    if (emg_) emg_->handle(incoming_, time.deviceUs, outgoing_);
  });
  flush(out);
}

void NativeFirmware::tick(const SimTime& time, FirmwareOutput& out) {
  if (laser_) laser_->tick(time.nowUs, outgoing_);
  if (emg_) emg_->produce(time.deviceUs, outgoing_);
  flush(out);
}

void NativeFirmware::flush(FirmwareOutput& out) {
  for (const auto& message : outgoing_) {
    const auto before = out.buffer().size();
    if (protocols::appendEnvelopeFrame(message, out.buffer()))
      out.endUnit();
    else
      out.buffer().resize(before);
  }
  outgoing_.clear();
}

CommandOutcome NativeFirmware::command(const QString& verb, const QString& arg, const SimTime& time,
                                       FirmwareOutput& out) {
  CommandOutcome done{CommandOutcome::Done, {}};
  if (laser_ && verb == QLatin1String("interlock") &&
      (arg == QLatin1String("open") || arg == QLatin1String("closed"))) {
    laser_->setInterlockClosed(arg == QLatin1String("closed"), time.nowUs, outgoing_);
  } else if (laser_ && verb == QLatin1String("key") &&
             (arg == QLatin1String("on") || arg == QLatin1String("off"))) {
    laser_->setKeyOn(arg == QLatin1String("on"), time.nowUs, outgoing_);
  } else if (laser_ && verb == QLatin1String("fault")) {
    const auto code = parseFaultCode(arg);
    if (!code) return {CommandOutcome::Failed, QStringLiteral("unknown fault code '%1'").arg(arg)};
    laser_->raiseFault(*code, "injected fault", time.nowUs, outgoing_);
  } else if (laser_ && verb == QLatin1String("clear")) {
    laser_->clearFaults(time.nowUs, outgoing_);
  } else if (emg_ && verb == QLatin1String("ltr")) {
    emg_->injectLtr();
  } else {
    return {};
  }
  flush(out);
  return done;
}

void NativeFirmware::corrupt(std::span<std::uint8_t> unit) {
  if (unit.size() <= 2) return;
  auto& byte = unit[unit.size() / 2];
  byte = byte == 0x01 ? 0x02 : 0x01;  // never 0x00: keep the frame boundary, break the CRC
}

void NativeFirmware::setSlowFactor(double factor) {
  if (laser_) laser_->setStatusPeriodUs(static_cast<std::int64_t>(50'000 * factor));
}

bool NativeFirmware::injectLtr() {
  if (!emg_) return false;
  emg_->injectLtr();
  return true;
}

}  // namespace tautband::devices::sim
