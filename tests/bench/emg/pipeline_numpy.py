#!/usr/bin/python3
"""The EMG pipeline's stages written vectorised with numpy/scipy: the baseline
for bench_emg_pipeline (same data, same run). Usage:
    pipeline_numpy.py FILE.f32 RATE_HZ CHANNELS
FILE holds interleaved float32 frames (µV). Prints the processing time in
seconds (excluding the file read) and the number of onsets found, as JSON."""
import json
import sys
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import signal
from scipy.ndimage import uniform_filter1d


def pipeline(x, rate):
    # x: frames x channels, float32
    sos = signal.butter(2, 20.0, btype="highpass", fs=rate, output="sos")
    y = signal.sosfilt(sos, x, axis=0).astype(np.float32)
    energy = y * y
    n = max(1, int(round(0.015 * rate)))
    # causal moving average: uniform_filter1d is centred, shift by n//2
    smooth = uniform_filter1d(energy, size=n, axis=0, origin=(n - 1) // 2)
    block = max(1, int(round(0.020 * rate)))
    nblocks = smooth.shape[0] // block
    peaks = smooth[: nblocks * block].reshape(nblocks, block, -1).max(axis=1)
    window = 200
    padded = np.concatenate([np.repeat(peaks[:1], window - 1, axis=0), peaks], axis=0)
    level = np.percentile(sliding_window_view(padded, window, axis=0), 95, axis=-1)
    on = np.repeat(4.0 * level, block, axis=0)
    off = np.repeat(1.5 * level, block, axis=0)
    s = smooth[: on.shape[0]]
    above_on = s >= on
    above_off = s >= off
    starts = np.argwhere(above_on[1:] & ~above_off[:-1])
    return len(starts)


def main():
    path, rate, channels = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    x = np.fromfile(path, dtype=np.float32).reshape(-1, channels)
    best = None
    for _ in range(2):
        t0 = time.perf_counter()
        onsets = pipeline(x, rate)
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    print(json.dumps({"seconds": best, "onsets": int(onsets)}))


if __name__ == "__main__":
    main()
