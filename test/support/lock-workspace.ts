import { chmodSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../../tools/testkit/temp-workspace';
import { generate } from '../../tools/imagesmith/src/workflows/generate/generate';

/** Fixture images with committed locks (copied from the catalogue once, kept apart from it). */
export const LOCKED_FIXTURES = join(__dirname, '..', 'fixtures', 'locked');

/**
 * A plain folder (no git, no node_modules) with the repo's profiles and templates and the named
 * fixture images of test/fixtures/locked (spec and poetry.lock), their generated files rendered
 * afresh: enough for generate, lint and lock. The catalogue under images/ takes no part, so a fork
 * with other images passes the tests that use it.
 */
export function lockWorkspace(images: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'imagesmith-lockws-'));
  for (const dir of ['profiles', 'templates'])
    cpSync(join(REPO, dir), join(root, dir), { recursive: true });
  for (const image of images)
    cpSync(join(LOCKED_FIXTURES, image), join(root, 'images', image), { recursive: true });
  generate(root, {});
  return root;
}

/**
 * A stand-in `poetry` that records each call and answers `--version`; `lock` leaves the lock it
 * was given (the previous one) as it is. The honest way to prove Poetry did NOT run.
 */
export function fakePoetry(dir: string): { path: string; calls: () => string[] } {
  const path = join(dir, 'fake-poetry');
  const log = join(dir, 'fake-poetry.log');
  writeFileSync(log, '');
  writeFileSync(
    path,
    `#!/bin/sh\necho "$*" >> '${log}'\n[ "$1" = "--version" ] && echo "Poetry (version 2.5.1)"\nexit 0\n`,
  );
  chmodSync(path, 0o755);
  return { path, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}
