#!/usr/bin/python3
"""Writes the seed corpus of the driver fuzz targets (tests/fuzz/drivers/corpus/<target>/).

Byte 0 of every input is the fuzz config (FuzzDriverHost.h): bits 0-3 pick the
settings, 0x10 feeds the device's identity first, 0x20 starts streaming.
Run from anywhere: python3 tests/fuzz/drivers/make_corpus.py
"""
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(bytes(data))


def cyton_packet(counter, counts, footer=0xC0):
    p = [0xA0, counter & 0xFF]
    for c in counts:
        u = c & 0xFFFFFF
        p += [u >> 16, (u >> 8) & 0xFF, u & 0xFF]
    return p + [0] * 6 + [footer]


def crc4(frame):
    reg = 0
    nibbles = []
    for i, b in enumerate(frame):
        nibbles.append(b >> 4)
        nibbles.append(b & 0x0F if i + 1 < len(frame) else 0)
    for n in nibbles:
        for bit in range(3, -1, -1):
            reg = (reg << 1) | ((n >> bit) & 1)
            if reg & 0x10:
                reg ^= 0x13
    return reg


def bitalino_frame(seq, a):
    ch = len(a)
    n = ch + 2 + (1 if 3 <= ch <= 5 else 0)
    b = [0] * n
    b[n - 1] = (seq & 0xF) << 4
    b[n - 2] |= (a[0] >> 6) & 0x0F
    b[n - 3] |= (a[0] & 0x3F) << 2
    if ch > 1:
        b[n - 3] |= (a[1] >> 8) & 0x03
        b[n - 4] |= a[1] & 0xFF
    if ch > 2:
        b[n - 5] |= (a[2] >> 2) & 0xFF
        b[n - 6] |= (a[2] & 0x03) << 6
    if ch > 3:
        b[n - 6] |= (a[3] >> 4) & 0x3F
        b[n - 7] |= (a[3] & 0x0F) << 4
    if ch > 4:
        b[n - 7] |= (a[4] >> 2) & 0x0F
        b[n - 8] |= (a[4] & 0x03) << 6
    if ch > 5:
        b[n - 8] |= a[5] & 0x3F
    b[n - 1] |= crc4(b)
    return b


rng = random.Random(1)

# Cyton: settings 0 "{}", 1 gain 1, 2 daisy off.
reset = list(b"OpenBCI V3 8-16 channel\nOn Board ADS1299 Device ID: 0x3E\nFirmware: v3.1.2\n$$$")
stream = sum((cyton_packet(k, [1000 * k, -k, 8388607, -8388608, 0, 5, 6, 7]) for k in range(12)), [])
write("driver_cyton", "stream_8ch", [0x30] + stream)
write("driver_cyton", "stream_gain1", [0x31] + stream)
write("driver_cyton", "reset_reply", [0x00] + reset + list(b"Success: Channel set for 1$$$"))
daisy = sum((cyton_packet(k, [k] * 8) for k in range(16)), [])
write("driver_cyton", "stream_daisy", [0x30] + daisy)
garbled = []
for k in range(10):
    garbled += cyton_packet(k if k != 5 else 9, [k] * 8, 0xC0 + k % 7)
    garbled += [rng.choice([0xA0, 0xC0, rng.randrange(256)]) for _ in range(rng.randrange(8))]
write("driver_cyton", "garbage_between", [0x30] + garbled)
write("driver_cyton", "truncated", [0x30] + stream[:50])
write("driver_cyton", "bad_footers", [0x30] + sum((cyton_packet(k, [k] * 8, 0x00) for k in range(4)), []))

# BITalino: settings 0 A1, 1 A1-A3, 2 A1-A6 at 100 Hz, 3 A2+A5.
for cfg, ch in ((0x30, 1), (0x31, 3), (0x32, 6), (0x33, 2)):
    frames = sum((bitalino_frame(k, [rng.randrange(1024) if i < 4 else rng.randrange(64) for i in range(ch)])
                  for k in range(20)), [])
    write("driver_bitalino", "stream_%dch" % ch, [cfg] + frames)
lossy = sum((bitalino_frame(k, [k * 40, 1000 - k, 512]) for k in range(32) if k not in (7, 8, 20)), [])
write("driver_bitalino", "losses", [0x31] + lossy)
bad = sum((bitalino_frame(k, [k * 40, 3, 4]) for k in range(10)), [])
bad[10] ^= 0x04
write("driver_bitalino", "crc_error", [0x31] + bad)
noisy = []
for k in range(30):
    noisy += bitalino_frame(k, [k * 30, 7, 900])
    if k % 4 == 1:
        noisy += [rng.randrange(256) for _ in range(rng.randrange(1, 9))]
write("driver_bitalino", "garbage_between", [0x31] + noisy)
write("driver_bitalino", "version", [0x00] + list(b"\x13\xa5BITalBITalino_v4.2\r\n"))

# SCPI laser: settings 0 none, 1 calibrated, 2 calibrated with a limit.
write("driver_scpi_laser", "identity", [0x00] + list(b"Arroyo,4304 LaserSource,12345,v2.1\r\n"))
write("driver_scpi_laser", "poll_answers", [0x11] + list(b"350.00\r\n1024\r\n349.95\r\n16\r\n0.00\r\n"))
write("driver_scpi_laser", "errors", [0x12] + list(b"0\r\nE-402,Out of range\r\n101,102\n0,No error\r\n"))
write("driver_scpi_laser", "long_line", [0x11] + list(b"A" * 600 + b"\r\n1024\r\n"))
write("driver_scpi_laser", "garbage", [0x11] + [rng.randrange(256) for _ in range(200)])
write("driver_scpi_laser", "numbers", [0x11] + list(b"+1.5e3\r\n-0\r\nnan\r\ninf\r\n65536\r\n1e999\r\n0x10\r\n"))
