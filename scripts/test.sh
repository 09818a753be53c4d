#!/usr/bin/env bash
# Installs what is missing (Debian packages), then builds from scratch and runs the
# whole suite three ways: the normal build, the ASan+UBSan build, and the core alone
# (no Qt Widgets), which proves core/ does not depend on the UI; then the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-deps.sh
jobs=$(nproc)

run_preset() {
  local preset=$1
  echo "== ${preset}: configure, build, test"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  ctest --preset "$preset" -j "$jobs"
}

run_preset dev
run_preset asan
# ThreadSanitizer on the live-tailing test (a writer thread rotating the log while the
# tailer reads): only the core library and that test are built, to keep CI time down.
echo "== tsan: tailing test"
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j "$jobs" --target tst_log_tail
ctest --test-dir build/tsan -R '^tst_log_tail$' --output-on-failure
run_preset core-only
# The README's run command builds the release preset (-O3 sees warnings -O2 does not).
echo "== release: configure, build"
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
echo "== all suites passed"
