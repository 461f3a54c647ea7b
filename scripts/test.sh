#!/usr/bin/env bash
# Installs what the tests need and runs every test: types, unit (vitest), model (Python), and
# end-to-end in Debian's Chromium against the production build. Safe to run on a fresh machine.
# Prints each phase's wall time at the end (the README's Tests section quotes them).
set -euo pipefail
cd "$(dirname "$0")/.."

timings=()
ms() { date +%s%3N; }
fmt() { printf '%4d.%d s' $(($1 / 1000)) $(($1 % 1000 / 100)); }
phase_name=""
phase_start=0
phase() {
  # Closes the running phase (if any), opens the next one named $1.
  local now
  now=$(ms)
  [ -z "$phase_name" ] || timings+=("$(fmt $((now - phase_start)))  $phase_name")
  phase_name=${1:-}
  phase_start=$now
  [ -z "$phase_name" ] || echo "== $phase_name"
}
total_start=$(ms)
background_pid=""
model_log=""
app_server_pid=""
report() {
  [ -z "$app_server_pid" ] || kill "$app_server_pid" 2>/dev/null || true
  if [ -n "$background_pid" ]; then
    # A phase failed while the model tests ran: stop them, show what they printed so far.
    kill "$background_pid" 2>/dev/null || true
    echo "== model tests (stopped early), output so far:"
    cat "$model_log" 2>/dev/null || true
  fi
  phase
  echo "== phase times"
  printf '%s\n' "${timings[@]}"
  echo "$(fmt $(($(ms) - total_start)))  total"
}
trap report EXIT

# System packages: the browser, ffmpeg for fake-camera clips, PyTorch + onnx for the model tests, and
# OpenBLAS (without it Debian's torch falls back to the reference BLAS: Linear layers ~24x slower).
phase "system packages"
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v ffmpeg >/dev/null || need+=(ffmpeg)
/usr/bin/python3 -c 'import torch, torchvision' 2>/dev/null || need+=(python3-torch python3-torchvision)
/usr/bin/python3 -c 'import onnx' 2>/dev/null || need+=(python3-onnx)
dpkg-query -W -f='${Status}' libopenblas0-pthread 2>/dev/null | grep -q 'install ok installed' || need+=(libopenblas0-pthread)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# --ignore-scripts: onnxruntime-node's install script downloads GPU binaries we neither need nor can reach.
phase "npm ci"
npm ci --ignore-scripts --no-audit --no-fund --prefer-offline

# The model tests (one torch thread; they need onnxruntime-node, so after npm ci) run beside the other phases,
# their output kept until the end: the type check and prettier use one core of the two, and the e2e phase leaves
# the 2 cores ~22-28 % idle (CPU sampled during CI runs, 2026-11-30); alone they take 36-44 s.
model_log=$(mktemp)
model_start=$(ms)
(
  rc=0
  /usr/bin/python3 -m unittest discover -s tests/model -p 'test_*.py' >"$model_log" 2>&1 || rc=$?
  echo "$rc $(ms)" >"$model_log.rc"
) &
background_pid=$!
echo "== model tests (Python): started beside the next phases, output below at the end"

# Side by side: tsc and prettier each use one core.
phase "types and formatting (prettier; \`npm run fmt\` fixes), side by side"
types_log=$(mktemp)
npm run typecheck >"$types_log" 2>&1 &
types_pid=$!
fmt_rc=0
npm run fmt:check || fmt_rc=$?
types_rc=0
wait "$types_pid" || types_rc=$?
cat "$types_log"
rm -f "$types_log"
[ "$types_rc" -eq 0 ] || { echo "type check failed (exit $types_rc)"; exit "$types_rc"; }
[ "$fmt_rc" -eq 0 ] || { echo "formatting check failed (exit $fmt_rc): run npm run fmt"; exit "$fmt_rc"; }
# The build beside the unit tests: much of their time is waiting (the sync engine's tests on a real pouchdb-server,
# 18 s of the phase's ~30), and the build needs 6-8 s of CPU.
phase "unit tests, with the production build beside them"
build_log=$(mktemp)
npx vite build --logLevel warn >"$build_log" 2>&1 &
build_pid=$!
unit_rc=0
npx vitest run || unit_rc=$?
build_rc=0
wait "$build_pid" || build_rc=$?
echo "== production build"
cat "$build_log"
rm -f "$build_log"
[ "$unit_rc" -eq 0 ] || { echo "unit tests failed (exit $unit_rc)"; exit "$unit_rc"; }
[ "$build_rc" -eq 0 ] || { echo "production build failed (exit $build_rc)"; exit "$build_rc"; }

phase "end-to-end tests (Chromium)"
# One server for the built app, shared by the test files (those that need test-only files or a proxy start
# their own).
app_server_log=$(mktemp)
node tests/e2e/serve.mjs >"$app_server_log" 2>&1 &
app_server_pid=$!
for _ in $(seq 1 300); do
  grep -q '^http' "$app_server_log" && break
  kill -0 "$app_server_pid" 2>/dev/null || { cat "$app_server_log"; exit 1; }
  sleep 0.1
done
MASKGATE_E2E_APP_URL=$(grep -m1 '^http' "$app_server_log") || { echo "the app server did not start"; exit 1; }
export MASKGATE_E2E_APP_URL
# The test browser compiles wasm with V8's baseline compiler only (Liftoff, no TurboFan tier-up): each fresh
# context otherwise spends ~6 s of CPU optimising onnxruntime's and MediaPipe's wasm, which on 2 cores
# slowed every load (models ready 7.3–7.8 s → 4.9–5.8 s; tests/e2e/photo.test.mjs 57 → 44 s, 2026-11-30).
# The app's code is the same; `npm run bench`, the soak and the model-choice test (it runs the VGG16 in WASM,
# too slow under Liftoff alone to label a face while in view) keep the browser's default tiers.
export MASKGATE_E2E_JS_FLAGS="${MASKGATE_E2E_JS_FLAGS---liftoff-only}"
# One file at a time: two at a time (tried 2026-11-30) made the live test see one person twice (its detection
# rate halves and the track is lost) and saved no wall time on 2 cores.
node --test --test-concurrency=1 tests/e2e/
kill "$app_server_pid" 2>/dev/null || true
app_server_pid=""
rm -f "$app_server_log"

phase "waiting for the model tests"
wait "$background_pid" || true
background_pid=""
read -r model_rc model_end <"$model_log.rc"
echo "== model tests (Python), run beside the other phases"
cat "$model_log"
rm -f "$model_log" "$model_log.rc"
timings+=("$(fmt $((model_end - model_start)))  model tests (beside the other phases, not added to the total)")
[ "$model_rc" -eq 0 ] || { echo "model tests failed (exit $model_rc)"; exit "$model_rc"; }
