#!/bin/bash
# Memory effect of mlockall on the console (docs/SAFETY.md "Scheduling").
# Usage: tests/bench/supervisor/mlock/measure_mlock.sh BUILD_DIR
# Needs xvfb-run, gcc, and an account allowed to lock memory (root or LimitMEMLOCK).
set -u
run_one() {
  local mode=$1 data="$WORK/data-$1-$RANDOM"
  mkdir -p "$data"
  ( [ "$mode" != none ] && export TAUTBAND_MLOCK=$mode
    LD_PRELOAD="$WORK/mlock_preload.so" exec "$BUILD/bin/tautband" --data-dir "$data" --quit-after 8000 ) >"$data.log" 2>&1 &
  local pid=$!
  sleep 6
  local status
  status=$(grep -E "VmRSS|VmLck" /proc/$pid/status 2>/dev/null | tr -s ' \t\n' ' ')
  wait $pid
  echo "mode=$mode exit=$? $status"
}
if [ "${1:-}" = --inside-xvfb ]; then  # second stage: under the X server
  BUILD=$2 WORK=$3
  for m in none current onfault all; do run_one $m; done
  exit 0
fi
BUILD=${1:?build dir}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
gcc -shared -fPIC -O2 -o "$WORK/mlock_preload.so" "$HERE/mlock_preload.c" || exit 2
xvfb-run -a -s "-screen 0 1280x800x24" "$HERE/measure_mlock.sh" --inside-xvfb "$BUILD" "$WORK"
