/** The CI leaf benchmark's report: medians per way and case, the goals, the time breakdown. */
import { median } from './run';
import { ACTIVE, type Case, ROUNDS, type Sample, VERBOSE } from './settings';
import { breakdowns, traces } from './trace';

function stat(xs: number[]): string {
  if (xs.length === 0) return '–';
  return `${median(xs).toFixed(1)} s [${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}]`;
}

export function report(
  samples: Record<string, Sample[]>,
  noop: Record<'imagesmith' | 'nx', { secs: number; builds: number; containers: number }[]>,
  started: Date,
): void {
  const m = (key: string) => median((samples[key] ?? []).map((s) => s.total));
  console.log(
    `\nfinished ${new Date().toISOString()} (started ${started.toISOString()}); medians [min–max] of ${ROUNDS} rounds`,
  );
  console.log(
    `| Way | (a) description changed | (b) packages changed | parts, (b) medians | engine builds |`,
  );
  console.log(`| --- | --- | --- | --- | --- |`);
  for (const w of ACTIVE) {
    const a = samples[`a:${w.id}`] ?? [];
    const b = samples[`b:${w.id}`] ?? [];
    const parts = Object.keys(b[0]?.parts ?? {})
      .map((k) => `${k} ${median(b.map((s) => s.parts[k]!)).toFixed(1)} s`)
      .join(', ');
    console.log(
      `| ${w.label} | ${stat(a.map((s) => s.total))} | ${stat(b.map((s) => s.total))} | ${parts} | ${median(b.map((s) => s.builds))} |`,
    );
  }
  const ni = noop.imagesmith.map((n) => n.secs);
  const nn = noop.nx.map((n) => n.secs);
  console.log(
    `| no-op \`nx affected -t build,validate\`: imagesmith / Nx without the plugin | ${stat(ni)} / ${stat(nn)} | | builds ${noop.imagesmith.map((n) => n.builds).join(',')}, containers ${noop.imagesmith.map((n) => n.containers).join(',')} | |`,
  );

  console.log('\nGoals (ratios of medians; CI leaf = imagesmith output=registry):');
  const v = (ok: boolean) => (ok ? 'met' : 'MISSED');
  for (const way of ACTIVE.filter((w) => w.id === 'reg' || w.id === 'remote'))
    for (const c of ['a', 'b'] as Case[]) {
      const ours = m(`${c}:${way.id}`);
      const cold = m(`${c}:cold`);
      const better = Math.min(m(`${c}:inline`), m(`${c}:bakeq`));
      const fl = m(`${c}:floor`);
      console.log(
        `${way.id} (${c}): vs cold Makefile ${(cold / ours).toFixed(2)}x (goal >= 5x): ${v(cold / ours >= 5)}; vs the better of --cache-from and bake-equivalent ${(better / ours).toFixed(2)}x (goal >= 2x): ${v(better / ours >= 2)}; ${(ours / fl).toFixed(2)}x the floor (goal <= 1.5x): ${v(ours / fl <= 1.5)}`,
      );
    }
  const over = median(ni) - median(nn);
  console.log(
    `no-op: imagesmith ${median(ni).toFixed(2)} s vs Nx ${median(nn).toFixed(2)} s: +${over.toFixed(2)} s (goal <= +1 s): ${over <= 1 ? 'met' : 'MISSED'}`,
  );

  console.log("\nWhere imagesmith's time goes (medians over the runs; seconds):");
  for (const [key, list] of Object.entries(breakdowns)) {
    const keys = Object.keys(list[0] ?? {});
    console.log(
      `${key}: ${keys.map((k) => `${k} ${median(list.map((p) => p[k]!)).toFixed(2)}`).join('; ')}`,
    );
    if (VERBOSE) for (const t of traces[key] ?? []) console.log(`   ${t}`);
  }
}
