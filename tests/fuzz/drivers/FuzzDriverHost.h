#pragma once

// A tb_host for the driver fuzz targets: records what a driver reports and
// checks, on every callback, what the host relies on (sizes that add up,
// sequence numbers below their modulus, strings that exist). A broken
// invariant aborts (FuzzCheck.h), which libFuzzer and the corpus replay
// report as a crash.

#include "../FuzzCheck.h"
#include "tautband/driver.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

struct FuzzDriverHost {
  std::vector<float> samples;
  std::size_t statuses = 0;
  std::size_t infos = 0;
  std::size_t sentBytes = 0;
  tb_host host{};

  FuzzDriverHost() {
    host.struct_size = sizeof host;
    host.context = this;
    host.device_info = [](void* c, const tb_device_info* i) {
      TAUTBAND_FUZZ_CHECK(i && i->vendor && i->model && i->serial && i->firmware);
      TAUTBAND_FUZZ_CHECK(i->source_count == 0 || i->sources);
      TAUTBAND_FUZZ_CHECK(std::strlen(i->firmware) < 4096);
      ++self(c)->infos;
    };
    host.emg_block = [](void* c, const tb_emg_block* b) {
      TAUTBAND_FUZZ_CHECK(b && b->samples_uv);
      TAUTBAND_FUZZ_CHECK(b->channel_count >= 1 && b->channel_count <= 64);
      TAUTBAND_FUZZ_CHECK(b->sample_count >= 1 && b->sample_count <= 100'000);
      TAUTBAND_FUZZ_CHECK(b->sample_rate_hz > 0);
      TAUTBAND_FUZZ_CHECK(b->sequence_modulus == 0 || b->sequence < b->sequence_modulus);
      const std::size_t n = std::size_t{b->sample_count} * b->channel_count;
      for (std::size_t i = 0; i < n; ++i) TAUTBAND_FUZZ_CHECK(std::isfinite(b->samples_uv[i]));
      self(c)->samples.insert(self(c)->samples.end(), b->samples_uv, b->samples_uv + n);
    };
    host.laser_status = [](void* c, const tb_laser_status* s) {
      TAUTBAND_FUZZ_CHECK(s && s->emission >= TB_EMISSION_OFF && s->emission <= TB_EMISSION_FAULT);
      TAUTBAND_FUZZ_CHECK(s->fault_count == 0 || s->fault_codes);
      TAUTBAND_FUZZ_CHECK(std::isfinite(s->measured_power_mw));
      ++self(c)->statuses;
    };
    host.fault = [](void*, std::uint32_t, std::int32_t, const char* detail) { TAUTBAND_FUZZ_CHECK(detail); };
    host.reply = [](void*, std::uint32_t, std::int32_t, const char* detail) { TAUTBAND_FUZZ_CHECK(detail); };
    host.send = [](void* c, const std::uint8_t* bytes, std::size_t size) {
      TAUTBAND_FUZZ_CHECK(size == 0 || bytes);
      self(c)->sentBytes += size;
    };
    host.log = [](void*, tb_log_level, const char* message) { TAUTBAND_FUZZ_CHECK(message); };
  }
  static FuzzDriverHost* self(void* c) { return static_cast<FuzzDriverHost*>(c); }
};

// Runs one driver over one input: byte 0 picks the settings, whether the
// device identified itself first, whether streaming was started, and the
// chunking; the rest is what the device "sent". Feeds the stream whole in one
// driver and in varied chunks in another, then checks both decoded the same.
// identity: bytes a well-behaved device sends after start(); startCommand: the
// command to encode before the stream (TB_CMD_EMG_START or 0).
inline void fuzzDriver(const std::uint8_t* data, std::size_t size, const char* const* settings,
                       std::size_t settingsCount, const char* identity, tb_command_kind startCommand) {
  if (size == 0) return;
  const std::uint8_t config = data[0];
  const std::uint8_t* stream = data + 1;
  const std::size_t streamSize = size - 1;
  const tb_driver_api* api = tautband_driver_entry(TB_DRIVER_API_MAJOR, TB_DRIVER_API_MINOR);
  TAUTBAND_FUZZ_CHECK(api && api->api_major == TB_DRIVER_API_MAJOR && api->manifest_json);

  FuzzDriverHost whole, chunked;
  tb_driver* drivers[2] = {};
  FuzzDriverHost* hosts[2] = {&whole, &chunked};
  char error[256];
  for (int i = 0; i < 2; ++i) {
    drivers[i] = api->create(&hosts[i]->host, settings[config % settingsCount], error, sizeof error);
    TAUTBAND_FUZZ_CHECK(drivers[i]);
    std::uint8_t out[512];
    std::size_t written = 0;
    TAUTBAND_FUZZ_CHECK(api->start(drivers[i], out, sizeof out, &written) == TB_OK && written <= sizeof out);
    if (config & 0x10) {
      api->receive(drivers[i], reinterpret_cast<const std::uint8_t*>(identity), std::strlen(identity));
    }
    if ((config & 0x20) && startCommand) {
      const tb_command start{startCommand, 1, 0, 0};
      api->encode(drivers[i], &start, out, sizeof out, &written);
    }
  }

  TAUTBAND_FUZZ_CHECK(api->receive(drivers[0], stream, streamSize) == TB_OK);
  std::uint32_t lcg = config * 2654435761u + 1;
  for (std::size_t at = 0; at < streamSize;) {
    lcg = lcg * 1664525u + 1013904223u;
    const std::size_t n = std::min<std::size_t>(1 + (lcg >> 26), streamSize - at);
    TAUTBAND_FUZZ_CHECK(api->receive(drivers[1], stream + at, n) == TB_OK);
    at += n;
  }
  TAUTBAND_FUZZ_CHECK(whole.samples == chunked.samples);
  TAUTBAND_FUZZ_CHECK(whole.infos == chunked.infos);

  // Ticks (timeouts) and every command on whatever state the input left.
  for (int i = 0; i < 2; ++i) {
    api->tick(drivers[i], 1'000);
    api->tick(drivers[i], 5'000'000);
    for (int kind = TB_CMD_EMISSION_OFF; kind <= TB_CMD_EMG_STOP; ++kind) {
      const tb_command command{static_cast<tb_command_kind>(kind), 7, config,
                               static_cast<std::uint32_t>(config >> 4)};
      std::uint8_t out[512];
      std::size_t written = 0;
      const tb_status status = api->encode(drivers[i], &command, out, sizeof out, &written);
      TAUTBAND_FUZZ_CHECK(status == TB_OK || status == TB_UNSUPPORTED || status == TB_BUFFER_TOO_SMALL);
      if (status == TB_OK) TAUTBAND_FUZZ_CHECK(written <= sizeof out);
    }
    api->destroy(drivers[i]);
  }
}
