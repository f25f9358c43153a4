// libFuzzer entry point: the OpenBCI Cyton driver on arbitrary device bytes,
// through its C table (FuzzDriverHost.h has the checks).
#include "FuzzDriverHost.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* const settings[] = {"{}", R"({"gain": 1})", R"({"daisy": "off", "gain": 8})"};
  static const char identity[] =
      "OpenBCI V3 8-16 channel\nOn Board ADS1299 Device ID: 0x3E\nOn Daisy ADS1299 Device ID: "
      "0x3E\nFirmware: v3.1.2\n$$$";
  fuzzDriver(data, size, settings, 3, identity, TB_CMD_EMG_START);
  return 0;
}
