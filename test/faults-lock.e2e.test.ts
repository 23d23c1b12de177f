/**
 * An interrupted `imagesmith lock` leaves nothing false behind (issue #11 item 8): real Poetry
 * against an index that never answers (so Poetry is surely mid-lock), the real CLI, then SIGINT or
 * SIGKILL to the CLI alone. Afterwards the previous poetry.lock is byte-identical, no Poetry
 * process of that run is alive, no temp file is in the repo, and no /tmp/imagesmith-lock-<pid>-*
 * folder outlives the next run. Needs Poetry (skips without it outside CI; fails in CI).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIndex, type PypiIndex } from './support/pypi-index';
import {
  createTempWorkspace,
  NX_ENV,
  REPO,
  removeWorkspace,
} from '../tools/testkit/temp-workspace';
import { poetrySkipReason } from './support/poetry';

const skipReason = poetrySkipReason();

const IMAGE = `description: lock interrupt fixture
profile: cpu
python: "3.11"
version: "1.0"
python_packages: { smithpkg: ">=1.0" }
`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let index: PypiIndex | undefined;
let hang: Server | undefined;
let hangUrl = '';
const sockets: Socket[] = [];
let root = '';

function cpuProfileWith(url: string): string {
  const profile = parse(readFileSync(join(REPO, 'profiles/cpu/profile.yaml'), 'utf8')) as {
    package_sources: object[];
  };
  profile.package_sources.push({
    name: 'local',
    url,
    priority: 'explicit',
    packages: ['smithpkg'],
  });
  return stringify(profile);
}

const env = () =>
  ({
    ...NX_ENV,
    POETRY_CACHE_DIR: join(root, '.poetry-cache'),
    POETRY_REQUESTS_TIMEOUT: '300',
  }) as NodeJS.ProcessEnv;

function cli(args: string[]) {
  const r = spawnSync('node', ['tools/imagesmith/bin/imagesmith.cjs', ...args], {
    cwd: root,
    env: env(),
    encoding: 'utf8',
  });
  return { code: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` };
}

/** Processes whose working folder lies under `dir` (Poetry and the watchdog work in the temp folder). */
function processesIn(dir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/cwd`).startsWith(dir)) out.push(Number(name));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

const lockDirsOf = (pid: number) =>
  readdirSync(tmpdir())
    .filter((n) => n.startsWith(`imagesmith-lock-${pid}-`))
    .map((n) => join(tmpdir(), n));

/** Start `lock --update` against the silent index and wait until Poetry is working in its temp folder. */
async function startHangingLock(): Promise<{
  cli: ChildProcess;
  dir: string;
  exited: Promise<string>;
}> {
  writeFileSync(join(root, 'profiles/cpu/profile.yaml'), cpuProfileWith(hangUrl));
  const child = spawn(
    'node',
    ['tools/imagesmith/bin/imagesmith.cjs', 'lock', 'interrupted', '--update'],
    {
      cwd: root,
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<string>((r) =>
    child.on('close', (code, sig) => r(`${code ?? sig}\n${out}`)),
  );
  for (let waited = 0; waited < 60_000; waited += 200) {
    const [dir] = lockDirsOf(child.pid!);
    // The watchdog and Poetry (and Poetry's own python) all work there once Poetry started.
    if (dir && processesIn(dir).length >= 2 && sockets.length > 0)
      return { cli: child, dir, exited };
    await sleep(200);
  }
  child.kill('SIGKILL');
  throw new Error(`Poetry did not reach the index within 60 s:\n${out}`);
}

async function untilNoProcessIn(dir: string, ms = 15_000): Promise<number[]> {
  for (let waited = 0; waited < ms; waited += 200) {
    if (processesIn(dir).length === 0) return [];
    await sleep(200);
  }
  return processesIn(dir);
}

const imageFiles = () => readdirSync(join(root, 'images/interrupted')).sort();

beforeAll(async () => {
  if (skipReason) return;
  index = await startIndex([{ name: 'smithpkg', version: '1.0' }]);
  // An index that accepts connections and never answers: Poetry is certainly mid-lock.
  hang = createServer((s) => void sockets.push(s));
  await new Promise<void>((r) => hang!.listen(0, '127.0.0.1', r));
  hangUrl = `http://127.0.0.1:${(hang.address() as { port: number }).port}/simple/`;
  root = createTempWorkspace(
    { interrupted: IMAGE },
    { 'profiles/cpu/profile.yaml': cpuProfileWith(index.url) },
  );
  const first = cli(['lock', 'interrupted']);
  if (first.code !== 0) throw new Error(`first lock failed:\n${first.out}`);
}, 300_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  hang?.close();
  await index?.stop();
  if (root) removeWorkspace(root);
});

describe('an interrupted lock', () => {
  it('SIGINT: Poetry stops, the previous lock stays, no temp folder or file is left', async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const lock = readFileSync(join(root, 'images/interrupted/poetry.lock'), 'utf8');
    const files = imageFiles();
    const { cli: child, dir, exited } = await startHangingLock();
    child.kill('SIGINT');
    const result = await exited;
    expect(result).toMatch(/cancelled/);
    expect(result).not.toMatch(/^0\n/);
    expect(await untilNoProcessIn(dir)).toEqual([]);
    expect(lockDirsOf(child.pid!)).toEqual([]);
    expect(readFileSync(join(root, 'images/interrupted/poetry.lock'), 'utf8')).toBe(lock);
    expect(imageFiles()).toEqual(files);
  }, 120_000);

  it('SIGKILL of the CLI alone: Poetry dies with it, the next lock removes the stale folder', async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const lock = readFileSync(join(root, 'images/interrupted/poetry.lock'), 'utf8');
    const files = imageFiles();
    const { cli: child, dir, exited } = await startHangingLock();
    const poetry = processesIn(dir);
    // Only the CLI: its children are not signalled (a `kill -9 <pid>`, an OOM kill).
    process.kill(child.pid!, 'SIGKILL');
    await exited;
    expect(poetry.length).toBeGreaterThanOrEqual(2);
    expect(await untilNoProcessIn(dir)).toEqual([]);
    expect(readFileSync(join(root, 'images/interrupted/poetry.lock'), 'utf8')).toBe(lock);
    expect(imageFiles()).toEqual(files);
    // The folder of the dead run is still there; the next lock (index answering again) removes it.
    expect(lockDirsOf(child.pid!)).toEqual([dir]);
    writeFileSync(join(root, 'profiles/cpu/profile.yaml'), cpuProfileWith(index!.url));
    const next = cli(['lock', 'interrupted', '--update']);
    expect(next.code, next.out).toBe(0);
    expect(lockDirsOf(child.pid!)).toEqual([]);
  }, 180_000);
});
