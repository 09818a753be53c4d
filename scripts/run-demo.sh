#!/usr/bin/env bash
# Installs what is missing (Debian packages), builds Vigil and opens the dashboard on
# the embedded demo: a week of synthetic production traffic that keeps growing live.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
exec build/release/app/vigil demo "$@"
