#!/usr/bin/env bash
# Builds devices/sdk/example exactly as docs/DRIVER-SDK.md tells a vendor:
# install the SDK, configure the example out of tree against it, build, and
# pass the conformance kit against the SCPI laser simulator.
set -euo pipefail
build_dir=$1      # the Tautband build tree
source_dir=$2     # the Tautband source tree
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --component sdk --prefix "$work/sdk" > "$work/install.log"
cp -r "$work/sdk/share/tautband/sdk-example" "$work/example"
cmake -S "$work/example" -B "$work/example/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/sdk" > "$work/configure.log"
cmake --build "$work/example/build" > "$work/build.log"
plugin="$work/example/build/tautband-driver-example-laser.so"
test -f "$plugin"
# Only the entry point is exported.
exported=$(nm -D --defined-only "$plugin" | awk '$2 == "T" {print $3}')
[ "$exported" = "tautband_driver_entry" ] || { echo "unexpected exports: $exported"; exit 1; }
"$build_dir/bin/tautband-cli" sdk conformance --plugin "$plugin" --sim scpi-laser
