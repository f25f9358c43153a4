#pragma once

// The plugin's manifest (docs/DRIVERS.md, docs/DRIVER-SDK.md).
namespace tautband::drivers::bitalino {

inline constexpr const char* kManifestJson = R"json({
  "id": "plux.bitalino",
  "vendor": "PLUX",
  "name": "BITalino (surface EMG)",
  "version": "1.0.0",
  "kinds": ["emg"],
  "transports": [
    {"type": "rfcomm", "channel": 1, "pin": "1234"},
    {"type": "serial", "baud": 115200, "data_bits": 8, "parity": "none", "stop_bits": 1}
  ],
  "match": {"bt_name": "^BITalino"},
  "patient_isolation": "none",
  "research_device": true,
  "needle_use": false,
  "rate_caps": {"max_sample_rate_hz": 1000, "max_channels": 6, "sample_rates_hz": [1, 10, 100, 1000], "bytes_per_second": 8000,
                "note": "1000 frames/s of 3-8 bytes; A1-A4 10-bit, A5-A6 6-bit (too coarse for EMG)"},
  "sequence_modulus": 16,
  "units": {"samples": "uV",
            "transfer": "EMG(V) = (ADC / 2^n - 1/2) * VCC / G_EMG, VCC = 3.3 V; reported x 10^6 as uV"},
  "settings": [
    {"key": "channels", "label": "Analog channels", "type": "enum", "multiple": true, "values": ["A1", "A2", "A3", "A4", "A5", "A6"],
     "default": ["A1"], "note": "EMG sensors on A1-A4; A5-A6 are 6-bit"},
    {"key": "rate_hz", "label": "Sample rate", "type": "enum", "values": [1, 10, 100, 1000], "default": 1000,
     "unit": "Hz"},
    {"key": "emg_gain", "label": "EMG sensor gain G_EMG", "type": "double", "min": 500, "max": 2000,
     "default": 1009, "unit": "V/V"}
  ]
})json";

}  // namespace tautband::drivers::bitalino
