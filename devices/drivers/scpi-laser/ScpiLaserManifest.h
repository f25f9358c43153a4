#pragma once

// The plugin's manifest (docs/DRIVERS.md, docs/DRIVER-SDK.md).
namespace tautband::drivers::scpi {

inline constexpr const char* kManifestJson = R"json({
  "id": "generic.scpi-laser",
  "vendor": "Generic (Arroyo LaserSource style)",
  "name": "Laser diode current source, SCPI-like text commands",
  "version": "1.0.0",
  "kinds": ["laser"],
  "transports": [
    {"type": "serial", "baud": 38400, "baud_setting": "baud", "line_ending": "\r\n",
     "note": "38400 over the USB virtual COM port; RS-232 ports default to 9600 (set 'baud')"}
  ],
  "match": {},
  "firmware_watchdog": false,
  "firmware_watchdog_note": "The source has no communication watchdog: a lost link leaves its output as it is. The console needs a declared hardware interlock loop before it can arm this device.",
  "keep_alive": false,
  "emission_off": "LAS:OUT 0\r\n",
  "patient_isolation": "none",
  "optical_power": "calibration-table",
  "optical_power_note": "The source measures current only. Every power figure (status measured_power_mw, set_power_mw, SET_POWER) comes from the 'calibration' table in the settings (mA -> mW), applied to the measured current; without a table, power is unknown (-1) and cannot be set.",
  "rate_caps": {"status_hz": 20, "bytes_per_second": 700},
  "settings": [
    {"key": "baud", "label": "Baud rate", "type": "enum", "values": [9600, 19200, 38400, 57600, 115200],
     "default": 38400, "unit": "Bd"},
    {"key": "wavelength_nm", "label": "Laser diode wavelength", "type": "int", "min": 400, "max": 1100,
     "default": 808, "unit": "nm"},
    {"key": "current_limit_ma", "label": "Current limit sent as LAS:LIM:LDI (0: leave as set)", "type": "double",
     "min": 0, "max": 20000, "default": 0, "unit": "mA"},
    {"key": "poll_interval_ms", "label": "Status poll interval", "type": "int", "min": 20, "max": 1000,
     "default": 50, "unit": "ms"},
    {"key": "calibration", "label": "Calibration table (measured with a power meter)", "type": "table",
     "columns": [{"key": "current", "unit": "mA"}, {"key": "power", "unit": "mW"}], "min_rows": 2,
     "default": []}
  ]
})json";

}  // namespace tautband::drivers::scpi
