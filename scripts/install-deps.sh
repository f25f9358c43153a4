#!/usr/bin/env bash
# Installs the Debian 12 packages Tautband needs to build, run and test.
# Idempotent: asks dpkg first and only calls apt-get (with one `apt-get update`)
# when something is missing. Works as root or through sudo. Downloads nothing
# but Debian packages.
set -euo pipefail

packages=(
  # toolchain
  cmake ninja-build g++ pkgconf ccache clang clang-format
  # Qt 6.4
  qt6-base-dev qt6-declarative-dev qt6-declarative-dev-tools qt6-serialport-dev
  qt6-connectivity-dev qt6-multimedia-dev qt6-virtualkeyboard-dev
  qt6-virtualkeyboard-plugin qt6-qpa-plugins libqt6opengl6-dev libgl-dev libxkbcommon-dev
  qml6-module-qtqml qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtqml-workerscript
  qml6-module-qtquick-virtualkeyboard qml6-module-qt-labs-folderlistmodel qml6-module-qtquick-shapes
  qml6-module-qtmultimedia
  qml6-module-qttest
  libqt6sql6-sqlite libqt6sql6-psql
  # protocol, logging, crypto, storage
  protobuf-compiler libprotobuf-dev libspdlog-dev libfmt-dev libsodium-dev
  libsqlite3-dev sqlite3 postgresql
  # headless display, fonts, PDF inspection, independent test readers
  xvfb xauth fonts-dejavu-core fonts-symbola poppler-utils
  python3-scipy python3-mne python3-dbusmock
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-deps: missing packages (${missing[*]}) and neither root nor sudo available" >&2
  exit 1
fi

echo "install-deps: installing ${#missing[@]} missing package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
