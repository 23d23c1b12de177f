import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from './pypi-index';

const TEMPLATE = join(__dirname, '..', '..', 'templates', 'python-base', '_uv-install.hbs');

export interface UvWheel {
  file: string;
  bytes: Buffer;
  sha256: string;
}

/**
 * The uv wheel for this machine that generated builders install (templates/python-base/
 * _uv-install.hbs pins its version and sha256s). A build whose PIP_INDEX_URL is a hermetic test
 * index fetches uv from that index, as it would from a site's mirror, so such indexes serve it.
 * Downloaded once from PyPI, hash-checked, into the tool cache.
 */
export function uvWheel(): UvWheel {
  const text = readFileSync(TEMPLATE, 'utf8');
  const version = /uv==([0-9.]+)/.exec(text)?.[1];
  const hashes = [...text.matchAll(/--hash=sha256:([0-9a-f]{64})/g)].map((m) => m[1]!);
  if (!version || hashes.length === 0) throw new Error(`uv-wheel: no uv pin in ${TEMPLATE}`);
  const dir = join(process.env.IMAGESMITH_TOOL_CACHE || '/var/cache/imagesmith', `uv-${version}`);
  const cached = () => {
    if (!existsSync(dir)) return undefined;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.whl'))) {
      const bytes = readFileSync(join(dir, file));
      const hash = sha256(bytes);
      if (hashes.includes(hash)) return { file, bytes, sha256: hash };
    }
    return undefined;
  };
  const hit = cached();
  if (hit) return hit;
  mkdirSync(dir, { recursive: true });
  const reqs = join(dir, 'requirements.txt');
  writeFileSync(reqs, `uv==${version} ${hashes.map((h) => `--hash=sha256:${h}`).join(' ')}\n`);
  const { PIP_FIND_LINKS: _unused, ...env } = process.env;
  const run = spawnSync(
    'python3',
    [
      '-m',
      'pip',
      'download',
      '-q',
      '--no-deps',
      '--only-binary=:all:',
      '--require-hashes',
      '-r',
      reqs,
      '-d',
      dir,
    ],
    { encoding: 'utf8', env },
  );
  const wheel = cached();
  if (run.status !== 0 || !wheel)
    throw new Error(
      `uv-wheel: could not download uv ${version} from PyPI into ${dir}:\n${run.stderr}`,
    );
  return wheel;
}
