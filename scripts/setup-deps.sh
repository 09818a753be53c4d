#!/usr/bin/env bash
# Installs Vigil's build and test dependencies from Debian 12 packages.
# Idempotent: when every package is already present it runs no apt-get at all.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev libqt6svg6 libqt6opengl6-dev qt6-qpa-plugins
  libgl-dev libxkbcommon-dev
  libboost-dev libeigen3-dev libfmt-dev libsimdjson-dev
  zlib1g-dev libzstd-dev libssl-dev
  python3 python3-numpy python3-sklearn python3-scipy
  prometheus prometheus-node-exporter
  xvfb xauth fonts-dejavu-core poppler-utils
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
