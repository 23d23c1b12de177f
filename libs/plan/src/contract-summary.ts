import { resolveVariants, plural, type Workspace } from '@imagesmith/core';
import { collectChecks } from './validate-contract';

/**
 * What an image's test contract holds, for the catalogue table: its checks (its parents' included,
 * as `validate` runs them) and the hardware some need, e.g. "9 checks (2 need gpu)". Pure.
 */
export function contractSummary(
  ws: Pick<Workspace, 'specs' | 'profiles' | 'baseDigests'>,
  image: string,
): string {
  const [first] = resolveVariants(ws, image);
  const checks = collectChecks(ws, image, first?.ancestors ?? []);
  const needs = new Map<string, number>();
  for (const c of checks) if (c.requires) needs.set(c.requires, (needs.get(c.requires) ?? 0) + 1);
  const hardware = [...needs]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([what, n]) => `${n} ${n === 1 ? 'needs' : 'need'} ${what}`);
  const count = plural(checks.length, 'check');
  return hardware.length ? `${count} (${hardware.join(', ')})` : count;
}
