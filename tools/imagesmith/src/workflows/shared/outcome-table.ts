/**
 * What happened to each image (or base tag) of a catalogue-wide command, and the one table both
 * the terminal and the pull request body show. `skipped` means it could not be done on this
 * machine (an index or registry it cannot reach) and is not an error; `failed` is an error.
 */
export type OutcomeState = 'done' | 'unchanged' | 'skipped' | 'failed';

export interface Outcome {
  name: string;
  state: OutcomeState;
  /** What changed, or why it was skipped / failed (one line). */
  detail: string;
}

const ORDER: OutcomeState[] = ['done', 'unchanged', 'skipped', 'failed'];

/** `3 done, 10 unchanged, 2 skipped, 1 failed`. Pure. */
export function countOutcomes(outcomes: readonly Outcome[]): string {
  return ORDER.map((s) => `${outcomes.filter((o) => o.state === s).length} ${s}`).join(', ');
}

/** A fixed-width table for the terminal, rows in the order given. Pure. */
export function renderOutcomeTable(heading: string, outcomes: readonly Outcome[]): string {
  const rows = [[heading, 'result', 'detail'], ...outcomes.map((o) => [o.name, o.state, o.detail])];
  const width = [0, 1].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) => `${r[0]!.padEnd(width[0]!)}  ${r[1]!.padEnd(width[1]!)}  ${r[2]}`.trimEnd())
    .join('\n');
}

/** The same table in Markdown (pipes in a detail escaped). Pure. */
export function renderOutcomeMarkdown(heading: string, outcomes: readonly Outcome[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${heading} | result | detail |`,
    '| --- | --- | --- |',
    ...outcomes.map((o) => `| ${cell(o.name)} | ${o.state} | ${cell(o.detail)} |`),
  ].join('\n');
}

/** The first line of a message (Poetry's output and hints stay out of a table cell). */
export function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
