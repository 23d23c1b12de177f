import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateVariant } from '../generate/generate-variant';
import { resolveVariants } from '../catalogue/variants';
import { workspaceOf } from '../../test-support/fixtures';

/**
 * The key check the apt-repositories fragment renders, run with the real gpg on keys made here:
 * the key with the pinned fingerprint passes and is dearmored; any other key stops the build.
 */
const GPG = '/usr/bin/gpg';
const PINNED = '00FA2C1079260870A76D2C285749CAD8646D9185';
let dir: string;

/** The key-handling commands of the rendered RUN, on local files instead of the download. */
function keyScript(): string {
  const ws = workspaceOf({ n: 'description: n\nprofile: neuron-inf1\npython: "3.10"\n' });
  const [v] = resolveVariants(ws, 'n');
  const text = generateVariant(v!, {
    specText: ws.specs.get('n')!.text,
    templates: ws.templates,
  }).find((f) => f.path.endsWith('Dockerfile'))!.content;
  const run = text.slice(
    text.indexOf('&& { gpg --show-keys'),
    text.indexOf('&& rm /tmp/aws-neuron.key'),
  );
  return run
    .replace(/^&& /, '')
    .replaceAll('/tmp/aws-neuron.key', join(dir, 'download.key'))
    .replaceAll('/usr/share/keyrings/aws-neuron.gpg', join(dir, 'keyring.gpg'));
}

function makeKey(name: string): string {
  const home = join(dir, name);
  execFileSync('mkdir', ['-m', '700', home]);
  const env = { ...process.env, GNUPGHOME: home };
  execFileSync(
    GPG,
    [
      '--batch',
      '--passphrase',
      '',
      '--quick-gen-key',
      `${name} <${name}@example.com>`,
      'ed25519',
      'sign',
      'never',
    ],
    { env, stdio: 'ignore' },
  );
  execFileSync(
    GPG,
    ['--batch', '--yes', '--armor', '--output', join(dir, 'download.key'), '--export', name],
    { env },
  );
  const colons = execFileSync(GPG, ['--with-colons', '--list-keys', name], {
    env,
    encoding: 'utf8',
  });
  return /^fpr:+([0-9A-F]{40}):/m.exec(colons)![1]!;
}

const bash = (script: string) =>
  spawnSync('bash', ['-o', 'pipefail', '-c', script], {
    encoding: 'utf8',
    env: { ...process.env, GNUPGHOME: join(dir, 'build-home') },
  });

describe.skipIf(!existsSync(GPG) && process.env.CI !== 'true')('apt repository key check', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'imagesmith-apt-key-'));
    execFileSync('mkdir', ['-m', '700', join(dir, 'build-home')]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a key whose fingerprint is not the pinned one, naming both', () => {
    makeKey('other');
    const r = bash(keyScript());
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`is not the key with fingerprint ${PINNED}`);
    expect(existsSync(join(dir, 'keyring.gpg'))).toBe(false);
  });

  it('trusts the key with the pinned fingerprint (dearmored into its own keyring)', () => {
    const fpr = makeKey('pinned');
    const r = bash(keyScript().replaceAll(PINNED, fpr));
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'keyring.gpg'))).toBe(true);
  });
});
