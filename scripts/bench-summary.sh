#!/usr/bin/env bash
# Passes ctest's output through and then prints one line per benchmark JSON
# in the folder given as $1. Exits non-zero when any benchmark missed a target.
set -uo pipefail
out_dir=$1
cat
status=0
echo "== benchmark summary ($out_dir) =="
for f in "$out_dir"/*.json; do
  [ -e "$f" ] || { echo "(no benchmark results)"; break; }
  /usr/bin/python3 - "$f" <<'PY' || status=1
import json, sys
d = json.load(open(sys.argv[1]))
parts = []
for f in d["figures"]:
    s = f"{f['name']}={f['value']:.4g} {f['unit']}"
    if f.get("ratio") is not None:
        s += f" (x{f['ratio']:.2f} vs {f['baseline']['name']})"
    if f.get("target"):
        s += f" [{f['target']['op']} {f['target']['value']:g}: {'pass' if f['pass'] else 'FAIL'}]"
    parts.append(s)
print(f"{d['name']}: " + "; ".join(parts) + (" -> pass" if d["pass"] else " -> FAIL"))
sys.exit(0 if d["pass"] else 1)
PY
done
exit $status
