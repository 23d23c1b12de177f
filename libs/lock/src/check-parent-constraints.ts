import { ConstraintError, satisfies, type Diagnostic } from '@imagesmith/core';
import { normalizeName } from './normalize-name';
import type { PyprojectInput } from './render-pyproject';

/** core's Diagnostic, so the CLI prints lock and spec problems alike. */
export type LockDiagnostic = Diagnostic;

/**
 * A child image keeps every package its parent locked, at the parent's version. Report each
 * child constraint (main or development stage) that the parent's locked version does not meet,
 * all of them, before Poetry would fail with a less direct message.
 */
export function checkParentConstraints(
  input: PyprojectInput,
  childImage: string,
  file = `images/${childImage}/image.yaml`,
): LockDiagnostic[] {
  const pins = input.parentPins;
  if (!pins) return [];
  const locked = new Map(Object.entries(pins.packages).map(([n, v]) => [normalizeName(n), v]));
  const groups: [string, Record<string, string>][] = [
    ['python_packages', input.packages],
    ['stages.development.python_packages', input.devPackages ?? {}],
  ];
  const out: LockDiagnostic[] = [];
  for (const [field, deps] of groups) {
    for (const [name, constraint] of Object.entries(deps).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const version = locked.get(normalizeName(name));
      if (version === undefined) continue;
      const path = `${field}.${name}`;
      try {
        if (satisfies(version, constraint)) continue;
      } catch (error) {
        if (!(error instanceof ConstraintError)) throw error;
        out.push({ file, path, message: error.message.split('\n')[0]!, hint: error.hint });
        continue;
      }
      out.push({
        file,
        path,
        message:
          `${name} = "${constraint}" in image ${childImage} conflicts with its parent image ` +
          `${pins.image}, which locked ${name} ${version}.`,
        hint:
          `A child image keeps its parent's versions: accept ${name} ${version} here, ` +
          `or change ${name} in ${pins.image} and re-lock it first (imagesmith lock ${pins.image}).`,
      });
    }
  }
  return out;
}
