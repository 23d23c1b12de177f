import {
  ancestorsOf,
  parentVariant,
  resolveVariants,
  sourcesUsedBy,
  usedPackages,
  type ImageVariant,
  type Workspace,
} from '@imagesmith/core';
import { lockState } from '@imagesmith/lock';
import { uninstallableMessages } from './installability';
import type { PlanInputs } from './plan-inputs';
import { planPyproject } from './plan-pyproject';

/**
 * A variant whose poetry.lock is absent, was made from another pyproject.toml, or pins a package
 * pip cannot install on the image's platforms without build tools (`uninstallable`).
 */
export interface LockProblem {
  image: string;
  variant: string;
  state: 'stale' | 'missing' | 'uninstallable';
  /** For `uninstallable`: the package, version, platforms and both ways out. */
  message?: string;
  /** The variant's poetry.lock, relative to the workspace root. */
  file: string;
  /** Non-PyPI package indexes it resolves from (a PyTorch or Neuron wheel index). */
  vendorIndexes: string[];
}

export const lockCommand = (image: string) => `nx run ${image}:lock`;
/** The same, as a message tells a user to type it (Nx need not be on PATH). */
export const lockCommandLine = (image: string) => `npx ${lockCommand(image)}`;

/** "`images/x` is not locked: run `npx nx run x:lock`": an absent lock, named by what the user edits. */
export const notLocked = (image: string, lockedBy = image) =>
  `\`images/${image}\` is not locked: run \`${lockCommandLine(lockedBy)}\``;

/** The images with every catalogue ancestor, farthest ancestor first, each once. */
export function withAncestors(ws: Pick<Workspace, 'specs'>, images: string[]): string[] {
  const out: string[] = [];
  for (const image of images)
    for (const name of [...ancestorsOf(ws, image).reverse(), image])
      if (!out.includes(name)) out.push(name);
  return out;
}

/** `installable: false` skips the wheel check: for callers that only need stale or missing. */
export interface LockProblemOptions {
  installable?: boolean;
}

function variantProblems(
  inputs: PlanInputs,
  v: ImageVariant,
  options: LockProblemOptions = {},
): LockProblem[] {
  // An image without Python packages has nothing to lock (imagesmith lock says so and stops).
  if (usedPackages(v.spec).size === 0) return [];
  const lockText = inputs.locks.get(v.outDir);
  const state = lockState(planPyproject(inputs, v), lockText);
  const problem = {
    image: v.image,
    variant: v.name,
    file: `${v.outDir}/poetry.lock`,
    vendorIndexes: sourcesUsedBy(v).map((s) => s.name),
  };
  if (state !== 'fresh') return [{ ...problem, state }];
  if (options.installable === false) return [];
  const parent = parentVariant(inputs.ws, v);
  const parentLock = parent ? inputs.locks.get(parent.outDir) : undefined;
  return uninstallableMessages(inputs.ws, v, lockText!, parentLock).map((message) => ({
    ...problem,
    state: 'uninstallable' as const,
    message,
  }));
}

export const UNINSTALLABLE_HINT =
  'constrain each package to a version with a wheel for the image and re-lock, or opt in to building it with the spec field build_packages (builder stage only)';

/** Problems that fail generate --check, lint and build (an absent lock only warns). */
export const isLockError = (p: LockProblem) => p.state !== 'missing';

/** Every lock problem of the given images, in their order. Pure: reads the planned inputs only. */
export function lockProblems(
  inputs: PlanInputs,
  images: string[],
  options: LockProblemOptions = {},
): LockProblem[] {
  return images.flatMap((image) =>
    resolveVariants(inputs.ws, image).flatMap((v) => variantProblems(inputs, v, options)),
  );
}

/** One line per problem, naming the command that fixes it. */
export function describeLockProblem(p: LockProblem): string {
  if (p.message) return p.message;
  if (p.state === 'stale')
    return `${p.file}: out of date with its pyproject.toml (the spec or its parent's lock changed since it was locked); run \`${lockCommandLine(p.image)}\` and commit the result`;
  const needs = p.vendorIndexes.length ? ` (needs ${p.vendorIndexes.join(', ')})` : '';
  return `${p.variant} is not locked${needs}; run \`${lockCommandLine(p.image)}\` before building it`;
}

/** The README catalogue's Status cell for an image: what is true of its lock. */
export function lockStatus(inputs: PlanInputs, image: string): string {
  const variants = resolveVariants(inputs.ws, image);
  if (variants.every((v) => usedPackages(v.spec).size === 0)) return 'no Python packages';
  // The Status cell says locked, missing or stale; the wheel check is for lock, lint and build.
  const problems = lockProblems(inputs, [image], { installable: false });
  if (problems.some((p) => p.state === 'stale')) return 'lock out of date';
  const missing = problems.filter((p) => p.state === 'missing');
  if (missing.length === 0) return 'locked';
  const indexes = [...new Set(missing.flatMap((p) => p.vendorIndexes))].sort();
  const partly = missing.length < variants.length ? 'partly locked' : 'not locked';
  return indexes.length ? `${partly}, needs ${indexes.join(', ')}` : partly;
}
