/* A laser plugin whose manifest does not say whether the device has a
 * firmware watchdog: the host must refuse it rather than guess. */
#include "tautband/driver.h"

static tb_driver* create(const tb_host* h, const char* s, char* e, size_t n) { (void)h; (void)s; (void)e; (void)n; return NULL; }
static void destroy(tb_driver* d) { (void)d; }
static tb_status start(tb_driver* d, uint8_t* o, size_t c, size_t* w) { (void)d; (void)o; (void)c; *w = 0; return TB_OK; }
static tb_status receive(tb_driver* d, const uint8_t* b, size_t n) { (void)d; (void)b; (void)n; return TB_OK; }
static tb_status tick(tb_driver* d, uint64_t t) { (void)d; (void)t; return TB_OK; }
static tb_status encode(tb_driver* d, const tb_command* c, uint8_t* o, size_t cap, size_t* w) {
  (void)d; (void)c; (void)o; (void)cap; *w = 0; return TB_UNSUPPORTED;
}

static const tb_driver_api kApi = {TB_DRIVER_API_MAJOR, TB_DRIVER_API_MINOR, sizeof(tb_driver_api),
                                   "{\"id\":\"test.vague\",\"vendor\":\"Test\",\"name\":\"Vague\",\"version\":\"1.0.0\","
                                   "\"kinds\":[\"laser\"],\"transports\":[{\"type\":\"serial\"}]}",
                                   create, destroy, start, receive, tick, encode};

TB_EXPORT const tb_driver_api* tautband_driver_entry(uint32_t major, uint32_t minor) {
  (void)major; (void)minor;
  return &kApi;
}
