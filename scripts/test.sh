#!/usr/bin/env bash
# Installs what the tests need and runs every test: types, unit (vitest), model (Python), and
# end-to-end in Debian's Chromium against the production build. Safe to run on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: the browser, ffmpeg for fake-camera clips, PyTorch + onnx for the model tests.
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v ffmpeg >/dev/null || need+=(ffmpeg)
/usr/bin/python3 -c 'import torch, torchvision' 2>/dev/null || need+=(python3-torch python3-torchvision)
/usr/bin/python3 -c 'import onnx' 2>/dev/null || need+=(python3-onnx)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# --ignore-scripts: onnxruntime-node's install script downloads GPU binaries we neither need nor can reach.
npm ci --ignore-scripts --no-audit --no-fund

echo "== types"
npm run typecheck
echo "== formatting (prettier; \`npm run fmt\` fixes)"
npm run fmt:check
echo "== unit tests"
npx vitest run
echo "== model tests"
/usr/bin/python3 -m unittest discover -s tests/model -p 'test_*.py'
echo "== production build"
npx vite build --logLevel warn
echo "== end-to-end tests (Chromium)"
node --test --test-concurrency=1 tests/e2e/
