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
"$bin" -version | head -1
"$bin" -no-color .github/workflows/*.yml
