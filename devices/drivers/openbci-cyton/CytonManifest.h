#pragma once

// The plugin's manifest (docs/DRIVERS.md, docs/DRIVER-SDK.md).
namespace tautband::drivers::cyton {

inline constexpr const char* kManifestJson = R"json({
  "id": "openbci.cyton",
  "vendor": "OpenBCI",
  "name": "Cyton / Cyton + Daisy biosensing board",
  "version": "1.0.0",
  "kinds": ["emg"],
  "transports": [
    {"type": "serial", "baud": 115200, "data_bits": 8, "parity": "none", "stop_bits": 1,
     "ftdi_latency_ms": 1,
     "note": "USB dongle (FTDI FT231X). The host sets the FTDI latency timer to 1 ms where the port allows it (Linux: /sys/bus/usb-serial/devices/ttyUSBn/latency_timer)."}
  ],
  "match": {"usb": ["0403:6015"]},
  "patient_isolation": "none",
  "research_device": true,
  "rate_caps": {"max_sample_rate_hz": 250, "max_channels": 16, "sample_rates_hz": [250, 125], "bytes_per_second": 8250,
                "note": "8 channels at 250 Hz; with a Daisy 16 channels at 125 Hz (interleaved packets)"},
  "sequence_modulus": {"8ch": 256, "16ch": 128},
  "units": {"samples": "uV", "scale": "4.5 V / gain / (2^23 - 1) per count"},
  "settings": [
    {"key": "gain", "label": "PGA gain (all channels)", "type": "enum", "values": [1, 2, 4, 6, 8, 12, 24],
     "default": 24, "unit": "V/V"},
    {"key": "daisy", "label": "Daisy module", "type": "enum", "values": ["auto", "off"], "default": "auto",
     "note": "auto: 16 channels at 125 Hz when the reset reply reports a Daisy; off: Cyton channels only"},
    {"key": "bias", "label": "Include in bias drive", "type": "bool", "default": true},
    {"key": "srb2", "label": "Reference to SRB2", "type": "bool", "default": true}
  ]
})json";

}  // namespace tautband::drivers::cyton
