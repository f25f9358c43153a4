#!/usr/bin/python3
"""Independent EDF+ check with MNE (python3-mne): reads FILE and compares it
with what the exporter was asked to write (EXPECTED.json). Prints one JSON line
and exits 0 when everything matches, 1 otherwise, 2 when MNE cannot read it."""
import json
import sys

import numpy as np

try:
    import mne
except ImportError as e:  # pragma: no cover
    print(json.dumps({"error": f"mne missing: {e}"}))
    sys.exit(2)

path, expected_path = sys.argv[1], sys.argv[2]
expected = json.load(open(expected_path, encoding="utf-8"))
try:
    raw = mne.io.read_raw_edf(path, preload=True, verbose="error")
except Exception as e:  # noqa: BLE001
    print(json.dumps({"error": f"mne cannot read: {e}"}))
    sys.exit(2)

problems = []
if abs(raw.info["sfreq"] - expected["sfreq"]) > 1e-9:
    problems.append(f"sfreq {raw.info['sfreq']} != {expected['sfreq']}")
if len(raw.ch_names) != len(expected["channels"]):
    problems.append(f"channels {raw.ch_names}")
data = raw.get_data() * 1e6  # MNE returns volts; the file says uV
first = np.array(expected["first_samples_uv"])  # [channel][k]
n = first.shape[1]
err = np.max(np.abs(data[:, :n] - first))
tolerance = expected["peak_uv"] / 65535.0 * 1.01 + 1e-6  # half a quantisation step
if err > tolerance:
    problems.append(f"samples differ by {err} uV (tolerance {tolerance})")
onsets = [round(float(o), 6) for o in raw.annotations.onset]
descriptions = list(raw.annotations.description)
want = expected["annotations"]
if len(onsets) != len(want):
    problems.append(f"{len(onsets)} annotations, expected {len(want)}")
else:
    for got_onset, got_text, w in zip(onsets, descriptions, want):
        if abs(got_onset - w["onset"]) > 1e-3 or got_text != w["text"]:
            problems.append(f"annotation {got_onset} {got_text!r} != {w['onset']} {w['text']!r}")
            break
durations = [float(d) for d in raw.annotations.duration]
print(json.dumps({"sfreq": raw.info["sfreq"], "channels": raw.ch_names, "annotations": len(onsets),
                  "max_sample_error_uv": float(err), "durations_nonzero": sum(1 for d in durations if d > 0),
                  "problems": problems}, ensure_ascii=False))
sys.exit(1 if problems else 0)
