import { chmodSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../../tools/testkit/temp-workspace';

/**
 * A plain folder (no git, no node_modules) with the repo's profiles and templates and the named
 * committed images, generated files and locks included: enough for generate, lint and lock.
 */
export function lockWorkspace(images: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'imagesmith-lockws-'));
  for (const dir of ['profiles', 'templates', ...images.map((i) => `images/${i}`)])
    cpSync(join(REPO, dir), join(root, dir), { recursive: true });
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
