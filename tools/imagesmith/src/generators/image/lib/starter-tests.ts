import type { NormalizedImageOptions } from './normalize-options';

interface StarterCommand {
  name: string;
  run: string;
  output: string;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The starter validate contract. A child re-runs its parents' checks (validate-contract.ts), so it
 * starts with checks of what it adds, not a copy of the parent's: each package it asks for is
 * installed (at the pinned version when the constraint is an exact ==).
 */
export function starterTests(o: NormalizedImageOptions): Record<string, unknown> {
  const commands: StarterCommand[] = Object.entries(o.packages).map(([name, constraint]) => {
    const dist = name.replace(/\[.*$/, '');
    const exact = /^==?\s*([A-Za-z0-9.+!-]+)$/.exec(constraint)?.[1];
    return {
      name: `${dist} is installed`,
      run: `python -c "import importlib.metadata as m; print(m.version('${dist}'))"`,
      output: exact ? `^${escapeRegex(exact)}$` : '.',
    };
  });
  if (!o.base || !o.isCatalogueBase)
    commands.unshift({
      name: 'python starts from the venv',
      run: 'python -c "import sys; print(sys.prefix)"',
      output: '^/opt/venv$',
    });
  return { non_root: true, ...(commands.length > 0 ? { commands } : {}) };
}
