/*
 * Tautband driver plugin ABI, version 1.0 (docs/DRIVER-SDK.md).
 *
 * A driver is a CODEC AND STATE MACHINE OVER BYTES. The host owns the port,
 * the threads and the clock: it hands the driver received bytes and timer
 * ticks on a codec thread, asks it to encode commands, and receives typed
 * events through the callbacks in tb_host. A driver never opens a port,
 * starts a thread, sleeps or blocks.
 *
 * Plain C: no C++ or Qt types cross this boundary, and no C++ exception may
 * cross it (tautband/driver.hpp catches them for C++ drivers).
 *
 * Versioning: the host calls tautband_driver_entry(host_major, host_minor).
 * The returned table's api_major must equal the host's major or the host
 * refuses the plugin, naming both versions. A minor version only ADDS
 * members at the end of tb_driver_api and tb_host; struct_size tells each
 * side how much of the other's table exists.
 */
#ifndef TAUTBAND_DRIVER_H
#define TAUTBAND_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TB_DRIVER_API_MAJOR 1
#define TB_DRIVER_API_MINOR 0

#if defined(_WIN32)
#define TB_EXPORT __declspec(dllexport)
#else
#define TB_EXPORT __attribute__((visibility("default")))
#endif

typedef enum tb_status {
  TB_OK = 0,
  TB_ERROR = 1,            /* the driver is in a state it cannot continue from */
  TB_UNSUPPORTED = 2,      /* this device has no such command */
  TB_BUFFER_TOO_SMALL = 3  /* encode: capacity too small; *written holds the size needed */
} tb_status;

typedef enum tb_log_level { TB_LOG_DEBUG = 0, TB_LOG_INFO = 1, TB_LOG_WARN = 2, TB_LOG_ERROR = 3 } tb_log_level;

/* ------------------------------------------------------------------ events */

typedef enum tb_laser_mode { TB_LASER_CW = 1, TB_LASER_PULSED = 2 } tb_laser_mode;

typedef enum tb_applied_part {
  TB_APPLIED_PART_NONE = 0, /* not a medical applied part: a research device */
  TB_APPLIED_PART_B = 1,
  TB_APPLIED_PART_BF = 2,
  TB_APPLIED_PART_CF = 3
} tb_applied_part;

typedef struct tb_laser_source {
  uint32_t wavelength_nm;
  uint32_t modes;          /* bit mask of (1 << tb_laser_mode) */
  uint32_t max_power_mw;
} tb_laser_source;

/* What the device is; emitted once the driver has identified it. Strings
 * are UTF-8 and only valid during the call. */
typedef struct tb_device_info {
  const char* vendor;
  const char* model;
  const char* serial;      /* "" when the device has none */
  const char* firmware;
  /* laser (source_count == 0: no laser) */
  const tb_laser_source* sources;
  uint32_t source_count;
  int32_t firmware_watchdog;       /* 1: the device stops emission on missed keep-alives */
  uint32_t watchdog_timeout_ms;
  /* EMG (channels == 0: no EMG) */
  uint32_t channels;
  uint32_t sample_rate_hz;         /* current or default rate */
  uint32_t resolution_bits;
  tb_applied_part applied_part;
} tb_device_info;

/* A block of EMG samples, interleaved by channel, in microvolts. */
typedef struct tb_emg_block {
  uint64_t sequence;           /* the device's packet counter */
  uint32_t sequence_modulus;   /* counter wraps at this (256 Cyton, 16 BITalino); 0: never */
  uint32_t channel_count;
  uint32_t sample_count;       /* per channel */
  uint32_t sample_rate_hz;
  uint64_t device_time_us;     /* 0 when the device sends no time */
  const float* samples_uv;     /* sample_count * channel_count values */
} tb_emg_block;

typedef enum tb_emission_state {
  TB_EMISSION_OFF = 1,
  TB_EMISSION_ARMED = 2,
  TB_EMISSION_EMITTING = 3,
  TB_EMISSION_FAULT = 4
} tb_emission_state;

typedef struct tb_laser_status {
  tb_emission_state emission;
  float measured_power_mw;     /* < 0: the device cannot measure it */
  int32_t interlock_closed;
  int32_t key_on;
  float temperature_c;         /* NaN when unknown */
  uint32_t fault_count;
  const uint32_t* fault_codes; /* tautband.device.v1.FaultCode values, >= 1000 vendor */
  uint32_t wavelength_nm;
  uint32_t set_power_mw;
} tb_laser_status;

typedef struct tb_host {
  size_t struct_size;  /* sizeof(tb_host) as the host built it */
  void* context;
  void (*device_info)(void* context, const tb_device_info* info);
  void (*emg_block)(void* context, const tb_emg_block* block);
  void (*laser_status)(void* context, const tb_laser_status* status);
  void (*fault)(void* context, uint32_t code, int32_t active, const char* detail);
  /* The answer to a command with a request id: ok = 1 accepted, 0 refused. */
  void (*reply)(void* context, uint32_t request_id, int32_t ok, const char* detail);
  /* Bytes the driver wants sent (polls, follow-up queries). Copied by the host. */
  void (*send)(void* context, const uint8_t* bytes, size_t size);
  void (*log)(void* context, tb_log_level level, const char* message);
} tb_host;

/* ---------------------------------------------------------------- commands */

typedef enum tb_command_kind {
  TB_CMD_EMISSION_OFF = 1,   /* never refused; must be encodable without state */
  TB_CMD_KEEP_ALIVE = 2,
  TB_CMD_ARM = 3,            /* arg0: 1 arm, 0 disarm */
  TB_CMD_EMIT_ON = 4,        /* arg0: device-side cap in ms, 0 none */
  TB_CMD_SET_WAVELENGTH = 5, /* arg0: nm */
  TB_CMD_SET_POWER = 6,      /* arg0: mW */
  TB_CMD_SET_MODE = 7,       /* arg0: tb_laser_mode */
  TB_CMD_SET_FREQUENCY = 8,  /* arg0: Hz */
  TB_CMD_SET_DUTY = 9,       /* arg0: permille */
  TB_CMD_EMG_START = 10,     /* arg0: rate Hz (0 default), arg1: channels (0 default) */
  TB_CMD_EMG_STOP = 11
} tb_command_kind;

typedef struct tb_command {
  tb_command_kind kind;
  uint32_t request_id;
  uint32_t arg0;
  uint32_t arg1;
} tb_command;

/* ------------------------------------------------------------------ driver */

typedef struct tb_driver tb_driver; /* the driver's own state, opaque to the host */

typedef struct tb_driver_api {
  uint32_t api_major;
  uint32_t api_minor;
  size_t struct_size;        /* sizeof(tb_driver_api) as the driver built it */
  /* Manifest JSON (UTF-8, static storage): see docs/DRIVER-SDK.md. */
  const char* manifest_json;

  /* A driver instance for one link. settings_json holds the values of the
   * manifest's settings (or "{}"). On failure return NULL and write a
   * one-line reason into error. */
  tb_driver* (*create)(const tb_host* host, const char* settings_json, char* error, size_t error_size);
  void (*destroy)(tb_driver* driver);

  /* The port just opened: bytes to send first (reset, identification
   * request). The driver emits device_info when the device has answered. */
  tb_status (*start)(tb_driver* driver, uint8_t* out, size_t capacity, size_t* written);
  /* Bytes from the device, in any chunking. */
  tb_status (*receive)(tb_driver* driver, const uint8_t* bytes, size_t size);
  /* Called about every 10 ms with the host's monotonic clock. */
  tb_status (*tick)(tb_driver* driver, uint64_t now_us);
  /* Bytes for one command. The host encodes TB_CMD_EMISSION_OFF and
   * TB_CMD_KEEP_ALIVE once at connect and keeps the bytes, so the safety
   * thread stops a laser without calling the driver: those two encodings
   * must not depend on later state. */
  tb_status (*encode)(tb_driver* driver, const tb_command* command, uint8_t* out, size_t capacity,
                      size_t* written);
} tb_driver_api;

/* The one exported symbol. Returns NULL when the driver cannot serve this
 * host at all; otherwise its table, and the host checks api_major. */
typedef const tb_driver_api* (*tb_driver_entry_fn)(uint32_t host_api_major, uint32_t host_api_minor);
#define TB_DRIVER_ENTRY_SYMBOL "tautband_driver_entry"
TB_EXPORT const tb_driver_api* tautband_driver_entry(uint32_t host_api_major, uint32_t host_api_minor);

#ifdef __cplusplus
}
#endif

#endif /* TAUTBAND_DRIVER_H */
