#!/bin/sh
# A BlueZ stand-in for trying the console's Bluetooth links by hand: a private
# bus with our mock (bluez_tautband.py) and simulators behind it.
#
#   tests/bluetooth/run_bluez_mock.sh build       # build dir with bin/tautband-sim
#   then, in another shell, the two export lines it prints, and e.g.
#   build/bin/tautband-cli devices list
#   build/bin/tautband-cli devices probe --port ble:C0:FF:EE:00:00:01
#   build/bin/tautband-cli devices probe --port rfcomm:20:16:07:18:15:40 --driver plux.bitalino
#
# Devices: C0:FF:EE:00:00:01 "Tautband Laser" (BLE NUS, native laser),
#          C0:FF:EE:00:00:02 "Tautband EMG" (BLE NUS, native EMG, 2 ch),
#          20:16:07:18:15:40 "BITalino-15-40" (SPP, BITalino, PIN 1234).
# Ctrl-C stops everything it started.
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
sim="$build/bin/tautband-sim"
[ -x "$sim" ] || { echo "no $sim: build tautband-sim first" >&2; exit 2; }
work=$(mktemp -d)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT INT TERM

dbus-daemon --session --nofork --print-address=1 > "$work/address" & pids="$pids $!"
while [ ! -s "$work/address" ]; do sleep 0.1; done
DBUS_SYSTEM_BUS_ADDRESS=$(head -n1 "$work/address"); export DBUS_SYSTEM_BUS_ADDRESS
/usr/bin/python3 -m dbusmock --template "$here/bluez_tautband.py" > "$work/mock.log" 2>&1 & pids="$pids $!"
until gdbus call --system -d org.bluez -o / -m org.freedesktop.DBus.ObjectManager.GetManagedObjects >/dev/null 2>&1; do
  sleep 0.2
done

start_sim() {  # name args... ; prints the pty path
  "$sim" "$@" --json > "$work/$1.out" 2>&1 & pids="$pids $!"
  until [ -s "$work/$1.out" ]; do sleep 0.1; done
  sed -n '1s/.*"path":"\([^"]*\)".*/\1/p' "$work/$1.out"
}
laser=$(start_sim laser --serial BT-LASER-1)
emg=$(start_sim emg --channels 2 --serial BT-EMG-1)
bitalino=$(start_sim bitalino)
gdbus call --system -d org.bluez -o / -m org.bluez.Mock.AddNusDevice C0:FF:EE:00:00:01 "Tautband Laser" "$laser" 247 >/dev/null
gdbus call --system -d org.bluez -o / -m org.bluez.Mock.AddNusDevice C0:FF:EE:00:00:02 "Tautband EMG" "$emg" 247 >/dev/null
gdbus call --system -d org.bluez -o / -m org.bluez.Mock.AddSppDevice 20:16:07:18:15:40 "BITalino-15-40" "$bitalino" >/dev/null
gdbus call --system -d org.bluez -o / -m org.bluez.Mock.SetPin 20:16:07:18:15:40 1234 >/dev/null

echo "export DBUS_SYSTEM_BUS_ADDRESS='$DBUS_SYSTEM_BUS_ADDRESS'"
echo "export BLUETOOTH_FORCE_DBUS_LE_VERSION=5.66"
echo "mock running (log $work/mock.log); Ctrl-C to stop" >&2
wait
