#!/usr/bin/python3
"""The EMG pipeline's stages written vectorised with numpy/scipy: the baseline
for bench_emg_pipeline (same data, same run). Usage:
    pipeline_numpy.py FILE.f32 RATE_HZ CHANNELS
FILE holds interleaved float32 frames (µV). Prints the processing time in
seconds (best of 3, excluding the file read; wall and process CPU time) and the
number of bursts found, as JSON.

Same stages as EmgPipeline with its default settings, in float32 like ours:
2nd-order Butterworth high-pass at 20 Hz (one biquad), squared energy, causal
15 ms moving mean, per-channel 95th percentile ("lower" rank, as
AdaptiveBaseline) of the peaks of the last 200 20-ms blocks, thresholds
4x / 1.5x that level from the blocks before, hysteresis, and bursts of at least
20 ms. Not here (sequential, per burst; ours runs them only where a channel
crosses its threshold): quiet-block selection for the baseline, onset/offset
refinement, the insertion, spike-train, refractory and blanking rules."""
import json
import sys
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import signal
from scipy.ndimage import uniform_filter1d


def pipeline(x, rate):
    # x: frames x channels, float32
    frames, channels = x.shape
    sos = signal.butter(2, 20.0, btype="highpass", fs=rate, output="sos").astype(np.float32)
    y = signal.sosfilt(sos, x, axis=0)  # float32 sos and data: float32 arithmetic
    energy = y * y
    n = max(1, int(round(0.015 * rate)))
    # causal moving mean: uniform_filter1d is centred, shifted back by (n-1)//2; zeros before the start
    smooth = uniform_filter1d(energy, size=n, axis=0, origin=(n - 1) // 2, mode="constant")
    block = max(1, int(round(0.020 * rate)))
    nblocks = frames // block
    blocks = smooth[: nblocks * block].reshape(nblocks, block, channels)
    peaks = blocks.max(axis=1)
    # Level for block b: 95th percentile of blocks b-200 .. b-1 (causal; the first window repeats block 0).
    window = 200
    padded = np.concatenate([np.repeat(peaks[:1], window, axis=0), peaks[:-1]], axis=0)
    level = np.percentile(sliding_window_view(padded, window, axis=0), 95, axis=-1, method="lower")
    on = (4.0 * level).astype(np.float32)[:, None, :]
    off = (1.5 * level).astype(np.float32)[:, None, :]
    above_on = (blocks >= on).reshape(-1, channels)
    above_off = (blocks >= off).reshape(-1, channels)
    # Hysteresis: a burst starts where the energy rises through on while idle
    # and ends where it next falls under off. Edges vectorised; the walk over
    # them (a few per second) is sequential, as it is in ours.
    rises = np.nonzero((above_on[1:] & ~above_on[:-1]).T)
    falls = np.nonzero((above_off[:-1] & ~above_off[1:]).T)
    min_burst = max(1, int(round(0.020 * rate)))
    count = 0
    for c in range(channels):
        r = rises[1][rises[0] == c] + 1
        f = falls[1][falls[0] == c] + 1
        i = 0
        while i < len(r):
            j = np.searchsorted(f, r[i], side="right")
            if j == len(f):
                break
            if f[j] - r[i] >= min_burst:
                count += 1
            i = np.searchsorted(r, f[j], side="left")
    return count


def main():
    path, rate, channels = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    x = np.fromfile(path, dtype=np.float32).reshape(-1, channels)
    best = best_cpu = None
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        bursts = pipeline(x, rate)
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        best = dt if best is None else min(best, dt)
        best_cpu = dc if best_cpu is None else min(best_cpu, dc)
    print(json.dumps({"seconds": best, "cpu_seconds": best_cpu, "bursts": int(bursts)}))


if __name__ == "__main__":
    main()
