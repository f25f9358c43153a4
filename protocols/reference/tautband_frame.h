/* Tautband native protocol: reference framing for firmware (C99, no heap).
 * Public domain / CC0: copy it into your firmware. Specification:
 * docs/PROTOCOL.md. Tested against the host implementation by
 * tests/unit/protocols/TestReferenceC.cpp. */
#ifndef TAUTBAND_FRAME_H
#define TAUTBAND_FRAME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TB_MAX_PAYLOAD 4096u
/* Worst-case frame for payload n: (n + 4) + ceil((n + 4) / 254) + 1 */
#define TB_MAX_FRAME(n) ((n) + 4u + ((n) + 4u + 253u) / 254u + 1u)

uint32_t tb_crc32c_update(uint32_t state, const uint8_t* data, size_t len);
uint32_t tb_crc32c(const uint8_t* data, size_t len);

/* Writes COBS(payload + CRC-32C LE) + 0x00 to out; returns the frame
 * length, or 0 when out_cap < TB_MAX_FRAME(len). */
size_t tb_frame_encode(const uint8_t* payload, size_t len, uint8_t* out, size_t out_cap);

/* Byte-at-a-time receiver; buffer holds TB_MAX_PAYLOAD + 4 bytes. */
typedef struct {
  uint8_t buf[TB_MAX_PAYLOAD + 4u];
  size_t len;        /* decoded bytes so far */
  size_t encoded;    /* encoded bytes so far */
  uint8_t remaining; /* data bytes left in the current block */
  uint8_t zero_pending;
  uint8_t overflow;
} tb_decoder;

typedef enum {
  TB_NEED_MORE = 0, /* frame not complete yet */
  TB_FRAME,         /* good frame: payload is buf[0 .. *payload_len) */
  TB_EMPTY,         /* 0x00 with nothing before it (sync byte): ignore */
  TB_TOO_SHORT,     /* decoded to fewer than 5 bytes */
  TB_COBS_ERROR,    /* 0x00 inside a COBS block */
  TB_CRC_ERROR,
  TB_OVERSIZE /* payload longer than TB_MAX_PAYLOAD */
} tb_result;

void tb_decoder_reset(tb_decoder* d);
tb_result tb_decoder_push(tb_decoder* d, uint8_t byte, size_t* payload_len);

#ifdef __cplusplus
}
#endif
#endif
