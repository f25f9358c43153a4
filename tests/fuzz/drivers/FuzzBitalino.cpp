// libFuzzer entry point: the BITalino driver on arbitrary device bytes,
// through its C table (FuzzDriverHost.h has the checks).
#include "FuzzDriverHost.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* const settings[] = {
      "{}", R"({"channels": ["A1", "A2", "A3"]})",
      R"({"channels": ["A1", "A2", "A3", "A4", "A5", "A6"], "rate_hz": 100})",
      R"({"channels": ["A2", "A5"]})"};
  fuzzDriver(data, size, settings, 4, "BITalino_v5.1\n", TB_CMD_EMG_START);
  return 0;
}
