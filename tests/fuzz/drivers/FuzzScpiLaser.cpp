// libFuzzer entry point: the SCPI laser source driver on arbitrary device
// bytes, through its C table (FuzzDriverHost.h has the checks). Emission-off
// must stay the same bytes whatever the device sent.
#include "FuzzDriverHost.h"

#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* const settings[] = {"{}", R"({"calibration": [[0, 0], [100, 0], [600, 500]]})",
                                         R"({"calibration": [[0, 0], [50, 10]], "current_limit_ma": 40})"};
  fuzzDriver(data, size, settings, 3, "Arroyo,4304,1,1.0\r\n", static_cast<tb_command_kind>(0));

  // Emission-off after arbitrary input, with polls outstanding.
  const tb_driver_api* api = tautband_driver_entry(TB_DRIVER_API_MAJOR, TB_DRIVER_API_MINOR);
  FuzzDriverHost host;
  char error[256];
  tb_driver* driver = api->create(&host.host, settings[1], error, sizeof error);
  std::uint8_t out[64];
  std::size_t written = 0;
  api->start(driver, out, sizeof out, &written);
  api->receive(driver, data, size);
  api->tick(driver, 100'000);
  const tb_command off{TB_CMD_EMISSION_OFF, 0, 0, 0};
  TAUTBAND_FUZZ_CHECK(api->encode(driver, &off, out, sizeof out, &written) == TB_OK);
  TAUTBAND_FUZZ_CHECK(written == 11 && std::memcmp(out, "LAS:OUT 0\r\n", 11) == 0);
  api->destroy(driver);
  return 0;
}
