/** What the CI leaf benchmark measures: its tree, the ways it compares, their repositories. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCKER, REGISTRY, SCIENTIFIC } from '../engine-fixture';

const args = process.argv.slice(2);
export const ROUNDS = Number(args[args.indexOf('--rounds') + 1] ?? 5) || 5;
export const VERBOSE = !!process.env.BENCH_VERBOSE;
export const TREE = SCIENTIFIC;
export const PARENT = 'sci';
export const LEAF = 'sci-child';
/** The package (b) adds to (and then removes from) the child: small, pure Python. */
export const EXTRA = { name: 'termcolor', range: '^2.4' };
export const CA = ['/etc/ssl/certs/ca-certificates.crt'].find((f) => existsSync(f));
export const TRACE_PRELOAD = join(__dirname, '..', 'trace-preload.cjs');

export type Case = 'a' | 'b';
export type WayId = 'reg' | 'remote' | 'eng' | 'cold' | 'inline' | 'bakeq' | 'floor';
const WAYS: { id: WayId; label: string }[] = [
  { id: 'reg', label: 'imagesmith `nx affected -t build`, output=registry (CI)' },
  {
    id: 'remote',
    label: 'imagesmith, output=registry, IMAGESMITH_BUILDER=imagesmith-remote (buildkitd v0.35)',
  },
  { id: 'eng', label: 'imagesmith `nx affected -t build`, engine output (loaded, not pushed)' },
  { id: 'cold', label: 'Makefile: cold `docker build` of both + push' },
  { id: 'inline', label: 'Makefile: `docker build --cache-from` inline + push' },
  { id: 'bakeq', label: 'bake-equivalent: buildx build per target, registry cache max' },
  { id: 'floor', label: 'floor: pull parent + changed step + push layer' },
];

/** One measurement: wall seconds of its parts (`total` is their sum), engine builds, notes. */
export interface Sample {
  parts: Record<string, number>;
  total: number;
  builds: number;
  note?: string;
}

const base = `${REGISTRY}/bench-leaf-${Date.now()}`;
export const repos: Record<WayId, string> = {
  reg: '',
  remote: '',
  eng: '',
  cold: `${base}-cold`,
  inline: `${base}-inline`,
  bakeq: `${base}-bakeq`,
  floor: `${base}-floor`,
};
/** A reference under one of this benchmark's repositories. */
export const ours = (ref: string) =>
  !!ref && Object.values(repos).some((r) => r && ref.startsWith(`${r}/`));
export const work = join(tmpdir(), `imagesmith-bench-leaf-${process.pid}`);

export const REG_ENV = { IMAGESMITH_BUILD_OUTPUT: 'registry' };
export const ENG_ENV = { IMAGESMITH_BUILD_OUTPUT: 'engine' };
export const REMOTE_BUILDER = 'imagesmith-remote';
export const REMOTE_ENV = {
  IMAGESMITH_BUILD_OUTPUT: 'registry',
  IMAGESMITH_BUILDER: REMOTE_BUILDER,
};
/** The remote buildkitd builder another engineer's .ci/setup-buildkitd.sh makes, when it exists. */
export const HAS_REMOTE = (() => {
  try {
    execFileSync(DOCKER, ['buildx', 'inspect', REMOTE_BUILDER], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
export const ACTIVE = WAYS.filter((w) => w.id !== 'remote' || HAS_REMOTE);
export const AFFECTED = ['--base=HEAD~1', '--head=HEAD'];
