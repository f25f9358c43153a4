#!/bin/bash
# Manual check of the lock screen on the REAL console (not a test fixture), with
# real X11 pointer events: under Xvfb, log in, lock, then with the on-screen
# keyboard up tap its "x" key, type the password and tap Unlock; lock again and
# submit with the keyboard's Enter key. Saves a PNG after each step to look at.
# Needs xvfb, xdotool, xwd (x11-apps) and Pillow for /usr/bin/python3; not run by ctest.
#
#   tautband-cli demo --data-dir D --db D/tautband.db
#   tests/qml/screens/real_console_lock.sh build/bin/tautband D OUT
#
# Coordinates are the 1280x800 layout's (docs/screenshots/lock-keyboard.png).
set -eu
BIN=$1; DEMO=$2; OUT=$3
DISPLAY_NUMBER=${DISPLAY_NUMBER:-93}
mkdir -p "$OUT"
DATA=$OUT/data
rm -rf "$DATA"; cp -a "$DEMO" "$DATA"   # the run writes to the database: use a copy
Xvfb ":$DISPLAY_NUMBER" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
trap 'kill $APP $XVFB 2>/dev/null || true' EXIT
sleep 1
export DISPLAY=":$DISPLAY_NUMBER"
QT_IM_MODULE=qtvirtualkeyboard "$BIN" --data-dir "$DATA" --db "$DATA/tautband.db" >"$OUT/console.log" 2>&1 &
APP=$!
shot() {
  xwd -root -silent | /usr/bin/python3 -c '
import struct, sys
from PIL import Image
d = sys.stdin.buffer.read()
h = struct.unpack(">25I", d[:100])
w, hg, order, bpl = h[4], h[5], h[7], h[12]
off = h[0] + h[19] * 12
Image.frombuffer("RGB", (w, hg), d[off:off + bpl * hg], "raw", "BGRX" if order == 0 else "XRGB", bpl, 1).save(sys.argv[1])
' "$OUT/$1.png"
}
tap() { xdotool mousemove "$1" "$2" click 1; sleep "${3:-0.7}"; }
sleep 4
tap 562 147; xdotool type --delay 30 therapist            # Login field
tap 928 147; xdotool type --delay 30 demo-therapist-2026  # Password field
xdotool key Return; sleep 3
tap 105 111 1                                             # rail: Log in (signed-in view)
tap 497 294 1.5; shot 1-locked                            # Lock screen: keyboard up
tap 533 679; shot 2-key-x                                 # on-screen "x": one dot
tap 1197 673                                              # on-screen Backspace
xdotool type --delay 30 demo-therapist-2026; sleep 0.3
tap 458 242 3; shot 3-unlocked-by-tap                     # Unlock
tap 105 111 1; tap 497 294 1.5
xdotool type --delay 30 demo-therapist-2026; sleep 0.3
tap 1197 755 3; shot 4-unlocked-by-enter                  # the keyboard's Enter key
echo "screenshots in $OUT"
