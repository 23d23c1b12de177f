import type { Dockerfile } from 'dockerfile-ast';

/** `# imagesmith-lint-ignore <rule> [<rule>...] [-- reason]` */
const IGNORE = /^\s*#\s*imagesmith-lint-ignore\s+(.*)$/;
/** hadolint's own pragma, which may sit in the same stack of comments. */
const HADOLINT_IGNORE = /^\s*#\s*hadolint\s+ignore=/;

/**
 * Rules switched off per instruction, keyed by the instruction's 1-based first line. The comments
 * must sit directly above the instruction (several may be stacked, with `# hadolint ignore=`
 * pragmas among them), so one cannot drift onto
 * another instruction when lines are inserted between them.
 */
export function inlineIgnores(df: Dockerfile, text: string): Map<number, Set<string>> {
  const lines = text.split(/\r?\n/);
  const ignores = new Map<number, Set<string>>();
  for (const ins of df.getInstructions()) {
    const start = ins.getRange().start.line;
    const rules = new Set<string>();
    for (let k = start - 1; k >= 0; k--) {
      if (HADOLINT_IGNORE.test(lines[k] ?? '')) continue;
      const m = IGNORE.exec(lines[k] ?? '');
      if (!m) break;
      const [list] = m[1]!.split(/\s--(\s|$)/);
      for (const rule of list!.split(/[\s,]+/)) if (rule) rules.add(rule);
    }
    if (rules.size) ignores.set(start + 1, rules);
  }
  return ignores;
}
