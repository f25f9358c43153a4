/* A plugin built against a future driver API 2.0: the host must refuse it
 * and say which versions differ. Written in plain C, as a vendor might. */
#include "tautband/driver.h"

static tb_driver* create(const tb_host* host, const char* settings, char* error, size_t size) {
  (void)host; (void)settings; (void)error; (void)size;
  return NULL;
}
static void destroy(tb_driver* d) { (void)d; }
static tb_status start(tb_driver* d, uint8_t* out, size_t cap, size_t* written) {
  (void)d; (void)out; (void)cap; *written = 0; return TB_OK;
}
static tb_status receive(tb_driver* d, const uint8_t* b, size_t n) { (void)d; (void)b; (void)n; return TB_OK; }
static tb_status tick(tb_driver* d, uint64_t now) { (void)d; (void)now; return TB_OK; }
static tb_status encode(tb_driver* d, const tb_command* c, uint8_t* out, size_t cap, size_t* w) {
  (void)d; (void)c; (void)out; (void)cap; *w = 0; return TB_UNSUPPORTED;
}

static const tb_driver_api kApi = {2, 0, sizeof(tb_driver_api),
                                   "{\"id\":\"test.future\",\"vendor\":\"Test\",\"name\":\"Future\",\"version\":\"2.0.0\","
                                   "\"kinds\":[\"emg\"],\"transports\":[{\"type\":\"serial\"}],\"patient_isolation\":\"none\"}",
                                   create, destroy, start, receive, tick, encode};

TB_EXPORT const tb_driver_api* tautband_driver_entry(uint32_t major, uint32_t minor) {
  (void)major; (void)minor;
  return &kApi;
}
