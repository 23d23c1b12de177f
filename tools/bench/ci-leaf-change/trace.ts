/** Where imagesmith's time goes, from the traces of its processes (tools/bench/trace-preload.cjs). */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { nx } from './run';
import { work } from './settings';

interface Trace {
  pid: number;
  script: string;
  kind: string;
  what?: string;
  t: number;
  end?: number;
  status?: number | string;
}

function readTrace(file: string): Trace[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Trace);
}

/** Seconds covered by the union of [t, end] intervals. */
function union(spans: [number, number][]): number {
  const s = [...spans].sort((p, q) => p[0] - q[0]);
  let total = 0;
  let cur: [number, number] | undefined;
  for (const [a, b] of s) {
    if (!cur || a > cur[1]) {
      if (cur) total += cur[1] - cur[0];
      cur = [a, b];
    } else cur[1] = Math.max(cur[1], b);
  }
  if (cur) total += cur[1] - cur[0];
  return total / 1000;
}

/** Where an imagesmith command's time went, from its trace (t0: when the benchmark started it). */
export function breakdown(
  events: Trace[],
  t0: number,
  t1: number,
): { builds: number; text: string; parts: Record<string, number> } {
  // Processes by their script (Nx, its plugin workers, the batch task runner, imagesmith's CLI).
  const scripts = new Map<string, number>();
  for (const e of events.filter((x) => x.kind === 'start')) {
    const name = (e.script.split(' ')[0] ?? '').split('/').slice(-2).join('/');
    scripts.set(name, (scripts.get(name) ?? 0) + 1);
  }
  const execs = events.filter((e) => e.kind === 'exec' && e.end !== undefined);
  const dockerCalls = execs.filter((e) => (e.what ?? '').startsWith('docker '));
  const builds = dockerCalls.filter((e) => (e.what ?? '').startsWith('docker buildx build'));
  const pushes = dockerCalls.filter((e) => /^docker (image )?push/.test(e.what ?? ''));
  const other = dockerCalls.filter((e) => !builds.includes(e) && !pushes.includes(e));
  const fetches = events.filter((e) => e.kind === 'fetch' && e.end !== undefined);
  const span = (es: Trace[]) => union(es.map((e) => [e.t, e.end!]));
  const work = [...dockerCalls, ...fetches];
  const first = work.length ? Math.min(...work.map((e) => e.t)) : t1;
  const last = work.length ? Math.max(...work.map((e) => e.end!)) : t1;
  const busy = span(work);
  // total = before + (engine and registry calls) + (imagesmith between them) + after
  const parts: Record<string, number> = {
    'Nx (and task start) before the first engine or registry call': (first - t0) / 1000,
    'docker buildx build': span(builds),
    'docker push': span(pushes),
    'other docker calls': span(other),
    'registry requests': span(fetches),
    'imagesmith between those calls': Math.max(0, (last - first) / 1000 - busy),
    'after the last call (Nx ends)': (t1 - last) / 1000,
  };
  const f = (k: string) => parts[k]!.toFixed(2);
  const text = [
    `processes ${[...scripts].map(([k, n]) => `${k} x${n}`).join(', ')}`,
    `first engine/registry call at ${f('Nx (and task start) before the first engine or registry call')}s`,
    `${builds.length} buildx build ${f('docker buildx build')}s`,
    `${pushes.length} docker push ${f('docker push')}s`,
    `${other.length} other docker calls ${f('other docker calls')}s (${[...new Set(other.map((o) => o.what!.split(' ').slice(0, 3).join(' ')))].join('; ')})`,
    `${fetches.length} registry requests ${f('registry requests')}s`,
    `imagesmith between calls ${f('imagesmith between those calls')}s`,
    `after the last call ${f('after the last call (Nx ends)')}s`,
  ].join('; ');
  return { builds: builds.length, text, parts };
}

export const traces: Record<string, string[]> = {};
export const breakdowns: Record<string, Record<string, number>[]> = {};

export function tracedNx(
  key: string,
  root: string,
  env: Record<string, string>,
  ...argv: string[]
): [number, number, string] {
  const file = join(work, `trace-${Date.now()}.jsonl`);
  const t0 = Date.now();
  const out = nx(root, env, file, ...argv);
  const t1 = Date.now();
  const b = breakdown(readTrace(file), t0, t1);
  (traces[key] ??= []).push(b.text);
  (breakdowns[key] ??= []).push(b.parts);
  console.log(`  [${key}] ${b.text}`);
  rmSync(file, { force: true });
  return [(t1 - t0) / 1000, b.builds, out];
}
