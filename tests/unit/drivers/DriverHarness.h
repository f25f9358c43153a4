#pragma once

// Drives a plugin through its C table exactly as the host does: the entry
// point tautband_driver_entry, create() with a tb_host whose callbacks record
// every event, then start/receive/tick/encode.

#include "tautband/driver.h"

#include <QByteArray>
#include <QString>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

struct RecordedBlock {
  std::uint64_t sequence = 0;
  std::uint32_t modulus = 0;
  std::uint32_t channels = 0;
  std::uint32_t samples = 0;
  std::uint32_t rateHz = 0;
  std::vector<float> values;
};

struct RecordedInfo {
  std::string vendor, model, serial, firmware;
  std::vector<tb_laser_source> sources;
  int firmwareWatchdog = -1;
  std::uint32_t channels = 0, rateHz = 0, resolutionBits = 0;
  tb_applied_part appliedPart = TB_APPLIED_PART_B;
};

struct RecordedStatus {
  tb_laser_status status{};
  std::vector<std::uint32_t> faults;
};

struct RecordedFault {
  std::uint32_t code;
  bool active;
  std::string detail;
};

struct RecordedReply {
  std::uint32_t id;
  bool ok;
  std::string detail;
};

class DriverHarness {
 public:
  explicit DriverHarness(const std::string& settings = "{}") {
    api_ = tautband_driver_entry(TB_DRIVER_API_MAJOR, TB_DRIVER_API_MINOR);
    host_.struct_size = sizeof(tb_host);
    host_.context = this;
    host_.device_info = [](void* c, const tb_device_info* i) {
      RecordedInfo r;
      r.vendor = i->vendor;
      r.model = i->model;
      r.serial = i->serial;
      r.firmware = i->firmware;
      r.sources.assign(i->sources, i->sources + i->source_count);
      r.firmwareWatchdog = i->firmware_watchdog;
      r.channels = i->channels;
      r.rateHz = i->sample_rate_hz;
      r.resolutionBits = i->resolution_bits;
      r.appliedPart = i->applied_part;
      self(c)->infos.push_back(r);
    };
    host_.emg_block = [](void* c, const tb_emg_block* b) {
      RecordedBlock r{b->sequence,     b->sequence_modulus, b->channel_count,
                      b->sample_count, b->sample_rate_hz,   {}};
      r.values.assign(b->samples_uv, b->samples_uv + std::size_t{b->sample_count} * b->channel_count);
      self(c)->blocks.push_back(std::move(r));
    };
    host_.laser_status = [](void* c, const tb_laser_status* s) {
      RecordedStatus r{*s, std::vector<std::uint32_t>(s->fault_codes, s->fault_codes + s->fault_count)};
      r.status.fault_codes = nullptr;
      self(c)->statuses.push_back(r);
    };
    host_.fault = [](void* c, std::uint32_t code, std::int32_t active, const char* detail) {
      self(c)->faults.push_back({code, active != 0, detail});
    };
    host_.reply = [](void* c, std::uint32_t id, std::int32_t ok, const char* detail) {
      self(c)->replies.push_back({id, ok != 0, detail});
    };
    host_.send = [](void* c, const std::uint8_t* bytes, std::size_t size) {
      self(c)->sent.append(reinterpret_cast<const char*>(bytes), static_cast<qsizetype>(size));
    };
    host_.log = [](void* c, tb_log_level level, const char* message) {
      self(c)->logs.push_back(std::to_string(level) + " " + message);
    };
    char error[256] = {};
    driver_ = api_->create(&host_, settings.c_str(), error, sizeof error);
    createError = error;
  }
  ~DriverHarness() {
    if (driver_) api_->destroy(driver_);
  }
  DriverHarness(const DriverHarness&) = delete;
  DriverHarness& operator=(const DriverHarness&) = delete;

  const tb_driver_api& api() const { return *api_; }
  bool created() const { return driver_ != nullptr; }

  QByteArray start() {
    std::uint8_t out[256];
    std::size_t written = 0;
    lastStatus = api_->start(driver_, out, sizeof out, &written);
    return QByteArray(reinterpret_cast<const char*>(out), static_cast<qsizetype>(written));
  }
  tb_status feed(const QByteArray& bytes) {
    return api_->receive(driver_, reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                         static_cast<std::size_t>(bytes.size()));
  }
  void feedByteByByte(const QByteArray& bytes) {
    for (qsizetype i = 0; i < bytes.size(); ++i) feed(bytes.mid(i, 1));
  }
  tb_status tick(std::uint64_t nowUs) { return api_->tick(driver_, nowUs); }
  QByteArray encode(tb_command_kind kind, std::uint32_t id = 0, std::uint32_t arg0 = 0,
                    std::uint32_t arg1 = 0) {
    const tb_command command{kind, id, arg0, arg1};
    std::uint8_t out[512];
    std::size_t written = 0;
    lastStatus = api_->encode(driver_, &command, out, sizeof out, &written);
    if (lastStatus != TB_OK) return {};
    return QByteArray(reinterpret_cast<const char*>(out), static_cast<qsizetype>(written));
  }

  // Every sample of every block, channel-interleaved, in arrival order.
  std::vector<float> allSamples() const {
    std::vector<float> all;
    for (const auto& b : blocks) all.insert(all.end(), b.values.begin(), b.values.end());
    return all;
  }
  std::size_t sampleCount() const {
    std::size_t n = 0;
    for (const auto& b : blocks) n += b.samples;
    return n;
  }
  // Samples lost between consecutive blocks, from the sequence numbers.
  std::uint64_t lostFromSequence() const {
    std::uint64_t lost = 0;
    for (std::size_t i = 1; i < blocks.size(); ++i) {
      const auto& a = blocks[i - 1];
      const auto& b = blocks[i];
      lost += (b.sequence + b.modulus - (a.sequence + a.samples) % b.modulus) % b.modulus;
    }
    return lost;
  }
  const RecordedReply* replyFor(std::uint32_t id) const {
    for (const auto& r : replies) {
      if (r.id == id) return &r;
    }
    return nullptr;
  }

  std::string createError;
  tb_status lastStatus = TB_OK;
  std::vector<RecordedInfo> infos;
  std::vector<RecordedBlock> blocks;
  std::vector<RecordedStatus> statuses;
  std::vector<RecordedFault> faults;
  std::vector<RecordedReply> replies;
  std::vector<std::string> logs;
  QByteArray sent;

 private:
  static DriverHarness* self(void* c) { return static_cast<DriverHarness*>(c); }
  const tb_driver_api* api_ = nullptr;
  tb_host host_{};
  tb_driver* driver_ = nullptr;
};
