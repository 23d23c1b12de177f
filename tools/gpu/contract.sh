#!/bin/sh
# The GPU contract of the cuda12 images, run on a GPU machine with the CLI bundle only: no engine,
# no network, no node_modules. For each image (default: every image whose spec says
# `profile: cuda12`) it runs `imagesmith validate <image> --executor host --requires gpu`: first
# the driver check (nvidia-smi's driver against the image's minimum, profiles/cuda12/accelerator.yaml),
# then the image's `requires: gpu` checks as processes of this machine, each result printed.
#
# Needs: node >= 20; nvidia-smi (it comes with the NVIDIA driver); on a GPU host, Python with torch
# (`python` or `python3`); the bundle dist/gpu/imagesmith.cjs (`node tools/gpu/build-bundle.cjs` on
# a checkout with node_modules; or IMAGESMITH_BUNDLE=<file>). A host without a GPU (no
# /dev/nvidia0 and IMAGESMITH_HARDWARE not naming gpu) gets every GPU check and the driver check
# reported skipped with that reason: CI runs it so (test/gpu-contract-script.test.ts).
#
# Usage: tools/gpu/contract.sh [image ...]
# Exit: 0 every check passed or was skipped; 1 a check failed or the driver is too old;
#       2 a usage error (an unknown image); 3 something it needs is missing.
set -u
cd "$(dirname "$0")/../.." || exit 3

missing() {
  echo "tools/gpu/contract.sh: $1" >&2
  exit 3
}

command -v node >/dev/null 2>&1 || missing "needs node (version 20 or later) on PATH"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
  missing "needs node 20 or later; this is $(node --version)"
bundle=${IMAGESMITH_BUNDLE:-dist/gpu/imagesmith.cjs}
[ -f "$bundle" ] || missing "needs the CLI bundle $bundle: run \`node tools/gpu/build-bundle.cjs\` in a checkout with node_modules and bring dist/gpu/ along (or set IMAGESMITH_BUNDLE)"
command -v nvidia-smi >/dev/null 2>&1 ||
  missing "needs nvidia-smi on PATH (it comes with the NVIDIA driver): install the driver or add its folder to PATH"

gpu=no
[ -e /dev/nvidia0 ] && gpu=yes
case ",${IMAGESMITH_HARDWARE:-}," in *,gpu,*) gpu=yes ;; esac

if [ "$gpu" = yes ]; then
  # The images' checks run `python -c ...`: a host with only python3 gets a `python` beside it.
  py=$(command -v python || command -v python3) || missing "needs Python with torch on this GPU host: no python or python3 on PATH"
  why=$("$py" -c 'import torch; print(torch.__version__, torch.version.cuda)' 2>&1) ||
    missing "needs Python with torch on this GPU host: \`$py -c 'import torch'\` failed: $(printf '%s' "$why" | tail -n 1)"
  if ! command -v python >/dev/null 2>&1; then
    shim=$(mktemp -d) || exit 3
    trap 'rm -rf "$shim"' EXIT
    ln -s "$py" "$shim/python"
    PATH="$shim:$PATH"
  fi
  echo "host: NVIDIA GPU present; nvidia-smi $(command -v nvidia-smi); $py with torch $why; node $(node --version)"
else
  echo "host: no NVIDIA GPU (no /dev/nvidia0, IMAGESMITH_HARDWARE does not name gpu): the driver check and every gpu check are reported skipped"
fi

if [ "$#" -eq 0 ]; then
  set --
  for spec in images/*/image.yaml; do
    grep -q '^profile: cuda12[[:space:]]*$' "$spec" && set -- "$@" "$(basename "$(dirname "$spec")")"
  done
  [ "$#" -gt 0 ] || missing "found no image with profile: cuda12 under images/"
fi

status=0
for image in "$@"; do
  echo "== $image"
  node -e 'require(require("path").resolve(process.argv[1])).run(process.argv.slice(2)).then((c) => { process.exitCode = c; })' \
    "$bundle" validate "$image" --executor host --requires gpu
  rc=$?
  echo "== $image: exit $rc"
  if [ "$rc" -gt "$status" ]; then status=$rc; fi
done
exit "$status"
