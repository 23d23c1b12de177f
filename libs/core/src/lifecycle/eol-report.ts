import type { Workspace } from '../catalogue/load-workspace';
import { topologicalOrder } from '../catalogue/topological-order';
import { checkEndOfLife } from './check-end-of-life';
import { EOL_WARNING_DAYS } from './eol-state';

/**
 * The monthly refresh's list: every image and what it runs on that has ended or ends within 180
 * days of `today`, with the move to make, as Markdown (one bullet each, earliest end first). Its
 * first line says when nothing does, so the pull request body always has the section.
 */
export function renderEolReport(
  ws: Pick<Workspace, 'specs' | 'profiles' | 'baseDigests' | 'lifecycles'>,
  today: string,
): string {
  const findings = checkEndOfLife(ws, topologicalOrder(ws), today).sort(
    (a, b) => a.end_of_life.localeCompare(b.end_of_life) || a.image.localeCompare(b.image),
  );
  const head = `End of life (on ${today}, looking ${EOL_WARNING_DAYS} days ahead):`;
  if (findings.length === 0) return `${head} nothing ends.\n`;
  const lines = findings.map((f) => {
    const verb = f.end_of_life <= today ? 'ended' : 'ends';
    const action =
      f.allowed !== undefined ? `allowed by allow_eol: ${f.allowed}` : `move to ${f.move}`;
    return `- \`${f.image}\`: ${f.what} ${verb} ${f.end_of_life} (\`${f.path}\` in ${f.file}): ${action}`;
  });
  return `${head}\n\n${lines.join('\n')}\n`;
}
