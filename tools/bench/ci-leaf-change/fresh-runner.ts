/** A fresh CI runner before every measurement: no images of the benchmark, no BuildKit cache of it. */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DOCKER } from '../engine-fixture';
import { HAS_REMOTE, ours, REMOTE_BUILDER } from './settings';

/** Per builder ('' the default one), the cache records that existed when the benchmark started. */
export const cacheIdsAtStart = new Map<string, Set<string>>();
export const builders = () => (HAS_REMOTE ? ['', REMOTE_BUILDER] : ['']);
const builderArgs = (b: string) => (b ? ['--builder', b] : []);

export function cacheRecords(builder: string): { id: string; type: string }[] {
  const out = execFileSync(DOCKER, ['buildx', 'du', ...builderArgs(builder), '--verbose'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const records: { id: string; type: string }[] = [];
  for (const block of out.split(/\n\s*\n/)) {
    const id = /^ID:\s+(\S+)/m.exec(block)?.[1];
    const type = /^Type:\s+(\S+)/m.exec(block)?.[1] ?? '';
    if (id) records.push({ id, type });
  }
  return records;
}

/**
 * This benchmark's images out of the engine, and the BuildKit cache records that could help a
 * build: every record made since the benchmark started (its own builds' layers, pulls and
 * contexts; other jobs' records of the same period go too, which costs them only cache hits) and
 * every cache mount (pip's and apt's download caches, shared by id with other builds on this
 * builder). Records older than the benchmark that are not cache mounts stay (other jobs' layers:
 * none of them is this benchmark's content; the stand-in base's may be among them). Records in use
 * by a running build are skipped by BuildKit itself.
 */
export function freshRunner(): void {
  const refs = execFileSync(DOCKER, ['images', '--format', '{{.Repository}}:{{.Tag}}'], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter((r) => ours(r));
  if (refs.length > 0) spawnSync(DOCKER, ['rmi', '-f', ...refs], { encoding: 'utf8' });
  for (const b of builders()) {
    const before = cacheIdsAtStart.get(b) ?? new Set();
    // One record per prune (buildx ANDs several --filter values), in parallel; a record a pruned
    // one depended on goes in the next pass.
    for (let pass = 0; pass < 4; pass++) {
      const ids = cacheRecords(b)
        .filter((r) => !before.has(r.id) || r.type === 'exec.cachemount')
        .map((r) => r.id);
      if (ids.length === 0) break;
      spawnSync(
        'xargs',
        [
          '-P',
          '8',
          '-I{}',
          DOCKER,
          'buildx',
          'prune',
          ...builderArgs(b),
          '-af',
          '--filter',
          'id={}',
        ],
        { input: ids.join('\n'), encoding: 'utf8' },
      );
    }
  }
}

/** A CI runner's fresh checkout: no Nx cache or workspace data, no local imagesmith state. */
export function freshCheckout(root: string): void {
  rmSync(join(root, '.nx'), { recursive: true, force: true });
  rmSync(join(root, '.imagesmith'), { recursive: true, force: true });
  // Image folders only: images/README.md (the catalogue table) sits beside them.
  for (const d of readdirSync(join(root, 'images'), { withFileTypes: true }))
    if (d.isDirectory())
      rmSync(join(root, 'images', d.name, '.imagesmith'), { recursive: true, force: true });
}
