import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The files a registry login writes on the machine (docker's config.json, the containers tools'
 * auth.json). A test that logs in must use its own DOCKER_CONFIG / REGISTRY_AUTH_FILE: the
 * publish e2e once left its fixture password in /root/.docker/config.json (issue 16).
 */
export function loginFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME || homedir();
  return [
    join(env.DOCKER_CONFIG || join(home, '.docker'), 'config.json'),
    ...(env.REGISTRY_AUTH_FILE ? [env.REGISTRY_AUTH_FILE] : []),
    ...(env.XDG_RUNTIME_DIR ? [join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json')] : []),
    join(home, '.config', 'containers', 'auth.json'),
  ];
}

/** A fingerprint of each file (absent counts as a state too). */
export function fingerprint(files: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of files) {
    try {
      out[file] = createHash('sha256').update(readFileSync(file)).digest('hex');
    } catch {
      out[file] = 'absent';
    }
  }
  return out;
}

/** The files whose fingerprint differs, with what to do about it; empty when none. */
export function changedLoginFiles(
  before: Record<string, string>,
  after: Record<string, string>,
): string[] {
  return Object.keys(before).filter((f) => before[f] !== after[f]);
}

/**
 * vitest globalSetup: fails the run when the tests changed a login file of the machine. (Another
 * process logging in meanwhile would trip it too: CI runs nothing else.)
 */
export default function setup(): () => void {
  const files = loginFiles();
  const before = fingerprint(files);
  return () => {
    const changed = changedLoginFiles(before, fingerprint(files));
    if (changed.length === 0) return;
    // vitest prints an error thrown here but still exits 0: set the exit code too.
    process.exitCode = 1;
    throw new Error(
      `the test run changed ${changed.join(', ')}: a test logged in to a registry with the machine's own credentials store. Give every test that logs in its own DOCKER_CONFIG and REGISTRY_AUTH_FILE (a temp folder), and remove the entry it left`,
    );
  };
}
