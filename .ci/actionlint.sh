#!/usr/bin/env bash
# Lint every GitHub Actions workflow with actionlint (installed with Go when missing; the PyPI
# wrapper downloads from GitHub and fails offline). Run by .ci/run and by
# test/workflows.test.ts, so a workflow that actionlint rejects fails CI.
set -euo pipefail
cd "$(dirname "$0")/.."
version=v1.7.12
bin="$(go env GOPATH)/bin/actionlint"
if ! { [ -x "$bin" ] && "$bin" -version | grep -qx "$version"; }; then
  go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
fi
# actionlint checks the shell of every `run:` step with shellcheck when it is on PATH; CI must
# not lose that check silently.
if ! command -v shellcheck >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then
    echo "actionlint: shellcheck is missing (apt-get install shellcheck); CI checks run: steps with it" >&2
    exit 1
  fi
  echo "actionlint: shellcheck not on PATH, run: steps are not shell-checked" >&2
fi
"$bin" -version | head -1
"$bin" -no-color .github/workflows/*.yml
