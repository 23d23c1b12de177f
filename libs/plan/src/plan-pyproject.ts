import { parentVariant, sourcesUsedBy, type ImageVariant, type Workspace } from '@imagesmith/core';
import {
  pinsFromLock,
  readLockCached,
  renderPyproject,
  type LockedPackage,
  type PyprojectInput,
} from '@imagesmith/lock';

// Per workspace and locks: generated files, lock problems and the README's Status column each need
// every variant's pyproject.toml, and rendering it is most of their cost.
const rendered = new WeakMap<
  Workspace,
  WeakMap<ReadonlyMap<string, string>, Map<string, string>>
>();

/** A variant's pyproject.toml: its packages constrained by the parent's lock, when there is one. Pure. */
export function planPyproject(
  {
    ws,
    locks,
  }: {
    ws: Workspace;
    locks: ReadonlyMap<string, string>;
  },
  v: ImageVariant,
): string {
  let byLocks = rendered.get(ws);
  if (!byLocks) rendered.set(ws, (byLocks = new WeakMap()));
  let byVariant = byLocks.get(locks);
  if (!byVariant) byLocks.set(locks, (byVariant = new Map()));
  let text = byVariant.get(v.outDir);
  if (text === undefined) byVariant.set(v.outDir, (text = renderVariantPyproject(ws, locks, v)));
  return text;
}

function renderVariantPyproject(
  ws: Workspace,
  locks: ReadonlyMap<string, string>,
  v: ImageVariant,
): string {
  const parent = parentVariant(ws, v);
  const parentLock = parent ? lockedPackages(locks.get(parent.outDir)) : undefined;
  return renderPyproject(
    pyprojectInput(v, parent && parentLock ? pinsFromLock(parent.name, parentLock) : undefined),
    { specFile: v.specFile },
  );
}

export function lockedPackages(text: string | undefined): LockedPackage[] | undefined {
  return text === undefined ? undefined : readLockCached(text);
}

export const PYPI_SIMPLE = 'https://pypi.org/simple/';

/** What Poetry resolves for a variant: its packages, the profile's indexes, the parent's pins. */
export function pyprojectInput(
  v: ImageVariant,
  parentPins: PyprojectInput['parentPins'],
): PyprojectInput {
  return {
    // Suffixed: Poetry refuses a project named like one of its dependencies (mlrun needs mlrun).
    name: `${v.name}-image`,
    description: v.spec.description,
    python: v.python,
    packages: { ...v.spec.python_packages, ...v.spec.stages?.production?.python_packages },
    devPackages: v.spec.stages?.development?.python_packages ?? {},
    // Only the indexes this image takes packages from: Poetry contacts every declared source.
    sources: [
      ...sourcesUsedBy(v),
      // PyPI through its simple (PEP 503) index, declared so a mirror can replace it at lock time;
      // Poetry's built-in PyPI client also fails behind proxies that serve only the simple API.
      {
        name: 'pypi-simple',
        url: PYPI_SIMPLE,
        priority: 'primary',
        packages: [],
      },
    ],
    parentPins,
  };
}
