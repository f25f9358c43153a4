#include "ScpiLaserDriver.h"

#include "SettingsJson.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace tautband::drivers::scpi {
namespace {

constexpr std::size_t kMaxLineBytes = 256;
constexpr std::uint64_t kReplyTimeoutUs = 1'000'000;
constexpr std::uint32_t kSetPointPollEvery = 20;  // LAS:SET:LDI? once a second at 50 ms polls
constexpr std::array kBauds = {9600u, 19200u, 38400u, 57600u, 115200u};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '"')) s.remove_suffix(1);
  return s;
}

}  // namespace

CalibrationTable::CalibrationTable(std::vector<std::pair<double, double>> points)
    : points_(std::move(points)) {
  if (points_.size() < 2) throw std::invalid_argument("calibration needs at least two [mA, mW] points");
  for (std::size_t i = 0; i < points_.size(); ++i) {
    const auto [ma, mw] = points_[i];
    if (!(ma >= 0) || !(mw >= 0) || !std::isfinite(ma) || !std::isfinite(mw)) {
      throw std::invalid_argument("calibration values must be finite and >= 0");
    }
    if (i > 0 && !(ma > points_[i - 1].first)) throw std::invalid_argument("calibration mA must increase");
    if (i > 0 && mw < points_[i - 1].second) throw std::invalid_argument("calibration mW must not decrease");
  }
}

double CalibrationTable::powerMw(double currentMa) const {
  if (points_.empty() || !std::isfinite(currentMa)) return -1;
  if (currentMa <= points_.front().first) return points_.front().second;
  std::size_t i = 1;
  while (i + 1 < points_.size() && currentMa > points_[i].first) ++i;
  const auto [x0, y0] = points_[i - 1];
  const auto [x1, y1] = points_[i];
  return std::max(0.0, y0 + (y1 - y0) * (currentMa - x0) / (x1 - x0));
}

std::optional<double> CalibrationTable::currentMa(double powerMw) const {
  if (points_.empty() || powerMw < points_.front().second || powerMw > points_.back().second)
    return std::nullopt;
  if (powerMw == points_.front().second) return points_.front().first;
  for (std::size_t i = 1; i < points_.size(); ++i) {
    const auto [x0, y0] = points_[i - 1];
    const auto [x1, y1] = points_[i];
    if (powerMw <= y1 && y1 > y0) return x0 + (x1 - x0) * (powerMw - y0) / (y1 - y0);
  }
  return std::nullopt;
}

std::string formatDecimal(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 3);
  return std::string(buffer, result.ptr);
}

std::optional<double> parseDecimal(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

ScpiLaserSettings ScpiLaserSettings::fromJson(const std::string& json) {
  ScpiLaserSettings s;
  const auto o = settingsObject(json);
  if (o.contains(QLatin1String("baud"))) {
    const auto baud = static_cast<std::uint32_t>(o.value(QLatin1String("baud")).toInt(-1));
    if (std::find(kBauds.begin(), kBauds.end(), baud) == kBauds.end()) {
      throw std::invalid_argument("baud must be 9600, 19200, 38400, 57600 or 115200");
    }
    s.baud = baud;
  }
  if (o.contains(QLatin1String("wavelength_nm"))) {
    const int nm = o.value(QLatin1String("wavelength_nm")).toInt(-1);
    if (nm < 400 || nm > 1100) throw std::invalid_argument("wavelength_nm must be 400..1100");
    s.wavelengthNm = static_cast<std::uint32_t>(nm);
  }
  if (o.contains(QLatin1String("current_limit_ma"))) {
    const double ma = o.value(QLatin1String("current_limit_ma")).toDouble(-1);
    if (!(ma >= 0 && ma <= 20000)) throw std::invalid_argument("current_limit_ma must be 0..20000");
    s.currentLimitMa = ma;
  }
  if (o.contains(QLatin1String("poll_interval_ms"))) {
    const int ms = o.value(QLatin1String("poll_interval_ms")).toInt(-1);
    if (ms < 20 || ms > 1000) throw std::invalid_argument("poll_interval_ms must be 20..1000");
    s.pollIntervalMs = static_cast<std::uint32_t>(ms);
  }
  if (o.contains(QLatin1String("calibration"))) {
    std::vector<std::pair<double, double>> points;
    for (const auto& row : o.value(QLatin1String("calibration")).toArray()) {
      const auto pair = row.toArray();
      if (pair.size() != 2 || !pair[0].isDouble() || !pair[1].isDouble()) {
        throw std::invalid_argument("calibration rows must be [mA, mW]");
      }
      points.emplace_back(pair[0].toDouble(), pair[1].toDouble());
    }
    s.calibration = CalibrationTable(std::move(points));
  }
  return s;
}

ScpiLaserDriver::ScpiLaserDriver(const tb_host& host, const std::string& settingsJson)
    : sdk::Driver(host), settings_(ScpiLaserSettings::fromJson(settingsJson)) {
  line_.reserve(kMaxLineBytes);
  activeFaults_.reserve(8);
}

bool ScpiLaserDriver::push(QueryKind kind, std::uint32_t requestId) {
  if (queryCount_ == kMaxQueries) return false;
  // sentUs 0: stamped at the next tick (start() runs before the first tick).
  queries_[(queryHead_ + queryCount_++) % kMaxQueries] = {kind, requestId, nowUs_};
  return true;
}

void ScpiLaserDriver::append(std::vector<std::uint8_t>& out, std::string_view text) const {
  const std::size_t at = out.size();
  out.resize(at + text.size());
  std::memcpy(out.data() + at, text.data(), text.size());
}

tb_status ScpiLaserDriver::start(std::vector<std::uint8_t>& out) {
  queryHead_ = queryCount_ = 0;
  identified_ = false;
  line_.clear();
  out.clear();
  append(out, "*IDN?\r\n");
  push(QueryKind::Idn);
  return TB_OK;
}

tb_status ScpiLaserDriver::receive(const std::uint8_t* bytes, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    const char c = static_cast<char>(bytes[i]);
    if (c == '\r' || c == '\n') {
      if (lineOverflow_) {
        log(TB_LOG_WARN, "dropped a reply line longer than 256 bytes");
        lineOverflow_ = false;
      } else if (!line_.empty()) {
        onLine(line_);
      }
      line_.clear();
      continue;
    }
    if (line_.size() >= kMaxLineBytes) {
      lineOverflow_ = true;
      line_.clear();
    }
    if (!lineOverflow_) line_.push_back(c);
  }
  return TB_OK;
}

void ScpiLaserDriver::onLine(std::string_view line) {
  if (queryCount_ == 0) {
    log(TB_LOG_WARN, "unsolicited line from the laser source: " + std::string(line.substr(0, 64)));
    return;
  }
  const Query query = queries_[queryHead_];
  queryHead_ = (queryHead_ + 1) % kMaxQueries;
  --queryCount_;
  setFault(kFaultNoReply, false, "the laser source answers again");
  switch (query.kind) {
    case QueryKind::Idn:
      onIdentity(line);
      break;
    case QueryKind::Err:
      onError(line, query.requestId);
      break;
    case QueryKind::Cond: {
      const auto value = parseDecimal(line);
      if (!value || *value < 0 || *value > 65535 || *value != std::floor(*value)) {
        log(TB_LOG_WARN, "LAS:COND? answer is not a 16-bit register: " + std::string(line.substr(0, 64)));
        break;
      }
      condition_ = static_cast<std::uint32_t>(*value);
      break;
    }
    case QueryKind::Ldi:
    case QueryKind::SetLdi: {
      const auto value = parseDecimal(line);
      if (!value) {
        log(TB_LOG_WARN, "current answer is not a number: " + std::string(line.substr(0, 64)));
        break;
      }
      (query.kind == QueryKind::Ldi ? measuredMa_ : setPointMa_) = *value;
      if (query.kind == QueryKind::Ldi) emitStatus();  // the last answer of each poll
      break;
    }
  }
}

void ScpiLaserDriver::onIdentity(std::string_view line) {
  // "<manufacturer>,<model>,<serial>,<firmware>"
  std::array<std::string, 4> fields;
  std::size_t field = 0;
  for (const char c : line) {
    if (c == ',' && field < fields.size() - 1)
      ++field;
    else
      fields[field].push_back(c);
  }
  for (auto& f : fields) f = std::string(trim(f));
  identified_ = true;
  const tb_laser_source source{settings_.wavelengthNm, 1u << TB_LASER_CW,
                               static_cast<std::uint32_t>(std::lround(settings_.calibration.maxPowerMw()))};
  tb_device_info info{};
  info.vendor = fields[0].c_str();
  info.model = fields[1].c_str();
  info.serial = fields[2].c_str();
  info.firmware = fields[3].c_str();
  info.sources = &source;
  info.source_count = 1;
  info.firmware_watchdog = 0;  // no communication watchdog: a lost link leaves the output as it is
  info.watchdog_timeout_ms = 0;
  info.applied_part = TB_APPLIED_PART_NONE;
  deviceInfo(info);
  if (settings_.currentLimitMa > 0) {
    std::vector<std::uint8_t> out;
    append(out, "LAS:LIM:LDI " + formatDecimal(settings_.currentLimitMa) + "\r\nERR?\r\n");
    if (push(QueryKind::Err)) send(out);
  }
}

void ScpiLaserDriver::onError(std::string_view line, std::uint32_t requestId) {
  // "0" (or "0,No error") when the queue is empty; otherwise error codes.
  const auto first = trim(line.substr(0, line.find(',')));
  const auto code = parseDecimal(first);
  const bool ok = code && *code == 0;
  if (ok) {
    setFault(kFaultDeviceError, false, "no device error");
  } else {
    setFault(kFaultDeviceError, true, "laser source error: " + std::string(line.substr(0, 128)));
  }
  if (requestId != 0)
    reply(requestId, ok, ok ? std::string() : "laser source error: " + std::string(line.substr(0, 128)));
}

void ScpiLaserDriver::setFault(std::uint32_t code, bool active, const std::string& detail) {
  const auto it = std::find(activeFaults_.begin(), activeFaults_.end(), code);
  if (active == (it != activeFaults_.end())) return;  // report transitions only
  if (active)
    activeFaults_.push_back(code);
  else
    activeFaults_.erase(it);
  fault(code, active, detail);
}

void ScpiLaserDriver::emitStatus() {
  if (!condition_) return;
  const std::uint32_t cond = *condition_;
  setFault(2 /* INTERLOCK_OPEN */, (cond & kCondInterlockDisabled) != 0, "LAS:COND? interlock bit");
  setFault(6 /* HARDWARE */, (cond & (kCondOpenCircuit | kCondShorted | kCondHardwareErrors)) != 0,
           "LAS:COND? reports open circuit, short or a hardware error (" + std::to_string(cond) + ")");
  tb_laser_status status{};
  const bool on = (cond & kCondOutputOn) != 0;
  const bool hardwareFault = (cond & (kCondOpenCircuit | kCondShorted | kCondHardwareErrors)) != 0;
  status.emission = on              ? TB_EMISSION_EMITTING
                    : hardwareFault ? TB_EMISSION_FAULT
                    : armed_        ? TB_EMISSION_ARMED
                                    : TB_EMISSION_OFF;
  // Optical power only through the settings' calibration table (mA -> mW).
  status.measured_power_mw = settings_.calibration.empty() || !measuredMa_
                                 ? -1.0f
                                 : static_cast<float>(settings_.calibration.powerMw(*measuredMa_));
  status.interlock_closed = (cond & kCondInterlockDisabled) ? 0 : 1;
  status.key_on = 1;  // the source reports no key switch
  status.temperature_c = std::nanf("");
  status.fault_count = static_cast<std::uint32_t>(activeFaults_.size());
  status.fault_codes = activeFaults_.data();
  status.wavelength_nm = settings_.wavelengthNm;
  status.set_power_mw =
      settings_.calibration.empty() || !setPointMa_
          ? 0
          : static_cast<std::uint32_t>(std::lround(settings_.calibration.powerMw(*setPointMa_)));
  laserStatus(status);
}

tb_status ScpiLaserDriver::tick(std::uint64_t nowUs) {
  nowUs_ = nowUs;
  if (queryCount_ > 0) {
    Query& front = queries_[queryHead_];
    if (front.sentUs == 0) front.sentUs = nowUs;
    if (nowUs - front.sentUs > kReplyTimeoutUs) {
      const bool wasIdentity = front.kind == QueryKind::Idn;
      // Lost replies would shift every later answer onto the wrong query: start over.
      for (std::size_t i = 0; i < queryCount_; ++i) {
        const Query& q = queries_[(queryHead_ + i) % kMaxQueries];
        if (q.kind == QueryKind::Err && q.requestId != 0) reply(q.requestId, false, "no answer to ERR?");
      }
      queryHead_ = queryCount_ = 0;
      setFault(kFaultNoReply, true, "the laser source did not answer within 1 s");
      if (wasIdentity || !identified_) {
        std::vector<std::uint8_t> out;
        append(out, "*IDN?\r\n");
        push(QueryKind::Idn);
        send(out);
      }
      return TB_OK;
    }
  }
  if (!identified_ || nowUs - lastPollUs_ < settings_.pollIntervalMs * 1000ull) return TB_OK;
  for (std::size_t i = 0; i < queryCount_; ++i) {
    const auto kind = queries_[(queryHead_ + i) % kMaxQueries].kind;
    if (kind == QueryKind::Cond || kind == QueryKind::Ldi) return TB_OK;  // last poll still out
  }
  lastPollUs_ = nowUs;
  std::vector<std::uint8_t> out;
  if (polls_++ % kSetPointPollEvery == 0 && push(QueryKind::SetLdi)) append(out, "LAS:SET:LDI?\r\n");
  if (queryCount_ + 2 <= kMaxQueries) {
    push(QueryKind::Cond);
    push(QueryKind::Ldi);
    append(out, "LAS:COND?\r\nLAS:LDI?\r\n");
  }
  if (!out.empty()) send(out);
  return TB_OK;
}

tb_status ScpiLaserDriver::encode(const tb_command& command, std::vector<std::uint8_t>& out) {
  const auto setCommand = [&](const std::string& text) {
    // Set commands answer nothing; ERR? after each one tells whether it took.
    if (!push(QueryKind::Err, command.request_id)) {
      refuse(command.request_id, "too many commands outstanding");
      return;
    }
    append(out, text + "\r\nERR?\r\n");
  };
  switch (command.kind) {
    case TB_CMD_EMISSION_OFF:
      append(out, kEmissionOff);  // stateless: the host keeps these bytes for the safety thread
      return TB_OK;
    case TB_CMD_ARM:
      if (command.arg0) {
        armed_ = true;  // the source has no armed state of its own
        reply(command.request_id, true, "armed in the driver only: the source has no armed state");
      } else {
        armed_ = false;
        setCommand("LAS:OUT 0");
      }
      return TB_OK;
    case TB_CMD_EMIT_ON:
      if (!identified_)
        refuse(command.request_id, "the laser source has not identified itself");
      else if (!armed_)
        refuse(command.request_id, "not armed");
      else {
        if (command.arg0)
          log(TB_LOG_INFO, "the source has no emission time cap; the host's timer must stop it");
        setCommand("LAS:OUT 1");
      }
      return TB_OK;
    case TB_CMD_SET_POWER: {
      const auto ma = settings_.calibration.currentMa(static_cast<double>(command.arg0));
      if (settings_.calibration.empty())
        refuse(command.request_id, "no calibration table: power cannot be set");
      else if (!ma)
        refuse(command.request_id, "power outside the calibration table");
      else if (settings_.currentLimitMa > 0 && *ma > settings_.currentLimitMa)
        refuse(command.request_id, "power needs more current than the current limit");
      else
        setCommand("LAS:LDI " + formatDecimal(*ma));
      return TB_OK;
    }
    case TB_CMD_SET_WAVELENGTH:
      if (command.arg0 == settings_.wavelengthNm)
        reply(command.request_id, true);
      else
        refuse(command.request_id,
               "this source has one wavelength: " + std::to_string(settings_.wavelengthNm) + " nm");
      return TB_OK;
    case TB_CMD_SET_MODE:
      if (command.arg0 == TB_LASER_CW)
        reply(command.request_id, true);
      else
        refuse(command.request_id, "continuous wave only");
      return TB_OK;
    default:
      return TB_UNSUPPORTED;  // keep-alive (no watchdog), pulse settings, EMG
  }
}

}  // namespace tautband::drivers::scpi
