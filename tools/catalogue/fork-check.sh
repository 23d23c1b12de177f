#!/usr/bin/env bash
# Issue 17: the tool's tests do not depend on the catalogue's contents. Clones the committed repo
# into a temp folder, keeps only three images (a fork with a team's own images), regenerates, and
# runs the tool's unit tests there (the catalogue's own tests, images/** and tools/catalogue/**,
# are left out: they are about the 19 images). Exits non-zero when a tool test needs a removed image.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
keep=" ${FORK_IMAGES:-python-base fastapi-serve mlrun} "
fork="$(mktemp -d "${TMPDIR:-/tmp}/imagesmith-fork-XXXXXX")"
trap 'rm -rf "$fork"' EXIT

git clone -q "$repo" "$fork"
# node_modules by link, but the workspace packages (@imagesmith/*, relative links) point into the fork.
mkdir "$fork/node_modules"
for entry in "$repo"/node_modules/* "$repo"/node_modules/.[!.]*; do
  name="$(basename "$entry")"
  [ "$name" = "@imagesmith" ] || ln -s "$entry" "$fork/node_modules/$name"
done
cp -a "$repo/node_modules/@imagesmith" "$fork/node_modules/@imagesmith"

cd "$fork"
for dir in images/*/; do
  name="$(basename "$dir")"
  [[ "$keep" == *" $name "* ]] || git rm -rq "images/$name"
done
echo "fork at $fork with images:$keep"
node tools/imagesmith/bin/imagesmith.cjs generate --all >/dev/null
# The tool's unit test files: every *.test.ts but the e2e ones and the catalogue's own.
mapfile -t tests < <(git ls-files '*.test.ts' | grep -v -e '\.e2e\.test\.ts$' -e '^images/' -e '^tools/catalogue/')
npx vitest run --project unit "${tests[@]}"
