#!/usr/bin/env bash
# The monthly lock refresh, as .github/workflows/refresh-locks.yml runs it (everything but opening
# the pull request) and as test/refresh-locks.e2e.test.ts runs it in a temporary workspace:
# take the newest versions the chosen images' constraints allow (every image by default; or the
# named ones, `--projects <pattern,...>`, `--affected [--base <ref>] [--head <ref>]`), re-resolve
# their external base tags to current digests (a workspace that pins its bases has
# base-digests.json; see the README's "Base images pinned by digest"), regenerate what the locks
# and digests feed (`nx sync`), lint, and write the summary (the pull request body) to $1: each
# image's changes, the changed base digests, what was skipped or failed, with the reason, and what
# reaches its end of life within 180 days with the move to make (`imagesmith lint --eol-report`).
#
# An image that cannot be done here (an index or registry this machine cannot reach) is skipped
# and listed; it does not stop the others. Exit status: 0 when everything that could be done was
# done; 1 when an image failed (it is listed in the summary, and everything else is still
# refreshed, regenerated and linted, so the pull request can carry it); anything else (a usage
# error, a sync or lint failure) stops at once. "completed=true" goes to $GITHUB_OUTPUT once the
# tree is regenerated and linted: the workflow opens the pull request on it.
set -euo pipefail
usage='usage: tools/refresh/monthly-refresh.sh SUMMARY_FILE [image... | --projects <pattern,...> | --affected [--base <ref>] [--head <ref>]]'
summary="${1:?$usage}"
shift
cd "$(dirname "$0")/../.."

selection=("$@")
# --affected compares commits, not the working tree the refresh is about to change: without a
# --head both commands would see different images (the first one's edits make more affected).
if [[ " $* " == *" --affected "* && " $* " != *" --head "* ]]; then
  selection+=(--head HEAD)
fi

failed=0
# Exit 1 means an image failed and is listed in the summary; any other failure stops here.
step() {
  local rc=0
  node tools/imagesmith/bin/imagesmith.cjs "$@" || rc=$?
  if [[ $rc == 1 ]]; then failed=1; elif [[ $rc != 0 ]]; then exit "$rc"; fi
}

step refresh --update --summary "$summary" "${selection[@]}"
if [[ -f base-digests.json ]]; then
  step pin-bases --summary "$summary" "${selection[@]}"
fi
npx nx sync
# What ends within 180 days (Python, the profiles' OS, CUDA or SDK releases) and the move to make,
# on the day the refresh runs: the reviewer's to-do list, in the body before lint can stop the run.
{ echo; node tools/imagesmith/bin/imagesmith.cjs lint --eol-report; } >>"$summary"
npx nx run-many -t lint --outputStyle=static
echo 'completed=true' >>"${GITHUB_OUTPUT:-/dev/null}"
if [[ $failed == 1 ]]; then
  echo 'monthly-refresh: some images failed (listed in the summary); the rest is refreshed' >&2
  exit 1
fi
