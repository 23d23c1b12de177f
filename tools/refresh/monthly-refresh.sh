#!/usr/bin/env bash
# The monthly lock refresh, as .github/workflows/refresh-locks.yml runs it (everything but opening
# the pull request) and as test/refresh-locks.e2e.test.ts runs it in a temporary workspace:
# take the newest versions every image's constraints allow, re-resolve the external base tags to
# their current digests (a workspace that pins its bases has base-digests.json; see the README's
# "Base images pinned by digest"), regenerate what the locks and digests feed (`nx sync`), lint,
# and write the per-image change summary and the changed base digests (the pull request body) to $1.
set -euo pipefail
summary="${1:?usage: tools/refresh/monthly-refresh.sh SUMMARY_FILE}"
cd "$(dirname "$0")/../.."

node tools/imagesmith/bin/imagesmith.cjs refresh --update --summary "$summary"
if [[ -f base-digests.json ]]; then
  node tools/imagesmith/bin/imagesmith.cjs pin-bases --summary "$summary"
fi
npx nx sync
npx nx run-many -t lint --outputStyle=static
