import {
  ancestorsOf,
  resolveVariants,
  sourcesUsedBy,
  usedPackages,
  type ImageVariant,
  type Workspace,
} from '@imagesmith/core';
import { lockState } from '@imagesmith/lock';
import type { PlanInputs } from './plan-generation';
import { planPyproject } from './plan-pyproject';

/** A variant whose poetry.lock is absent or was made from another pyproject.toml. */
export interface LockProblem {
  image: string;
  variant: string;
  state: 'stale' | 'missing';
  /** The variant's poetry.lock, relative to the workspace root. */
  file: string;
  /** Non-PyPI package indexes it resolves from (a PyTorch or Neuron wheel index). */
  vendorIndexes: string[];
}

export const lockCommand = (image: string) => `nx run ${image}:lock`;

/** The images with every catalogue ancestor, farthest ancestor first, each once. */
export function withAncestors(ws: Pick<Workspace, 'specs'>, images: string[]): string[] {
  const out: string[] = [];
  for (const image of images)
    for (const name of [...ancestorsOf(ws, image).reverse(), image])
      if (!out.includes(name)) out.push(name);
  return out;
}

function variantProblem(inputs: PlanInputs, v: ImageVariant): LockProblem | undefined {
  // An image without Python packages has nothing to lock (imagesmith lock says so and stops).
  if (usedPackages(v.spec).size === 0) return undefined;
  const state = lockState(planPyproject(inputs, v), inputs.locks.get(v.outDir));
  if (state === 'fresh') return undefined;
  return {
    image: v.image,
    variant: v.name,
    state,
    file: `${v.outDir}/poetry.lock`,
    vendorIndexes: sourcesUsedBy(v).map((s) => s.name),
  };
}

/** Every lock problem of the given images, in their order. Pure: reads the planned inputs only. */
export function lockProblems(inputs: PlanInputs, images: string[]): LockProblem[] {
  return images.flatMap((image) =>
    resolveVariants(inputs.ws, image).flatMap((v) => variantProblem(inputs, v) ?? []),
  );
}

/** One line per problem, naming the command that fixes it. */
export function describeLockProblem(p: LockProblem): string {
  if (p.state === 'stale')
    return `${p.file}: out of date with its pyproject.toml (the spec or its parent's lock changed since it was locked); run \`${lockCommand(p.image)}\` and commit the result`;
  const needs = p.vendorIndexes.length ? ` (needs ${p.vendorIndexes.join(', ')})` : '';
  return `${p.variant} is not locked${needs}; run \`${lockCommand(p.image)}\` before building it`;
}

/** The README catalogue's Status cell for an image: what is true of its lock. */
export function lockStatus(inputs: PlanInputs, image: string): string {
  const variants = resolveVariants(inputs.ws, image);
  if (variants.every((v) => usedPackages(v.spec).size === 0)) return 'no Python packages';
  const problems = lockProblems(inputs, [image]);
  if (problems.some((p) => p.state === 'stale')) return 'lock out of date';
  const missing = problems.filter((p) => p.state === 'missing');
  if (missing.length === 0) return 'locked';
  const indexes = [...new Set(missing.flatMap((p) => p.vendorIndexes))].sort();
  const partly = missing.length < variants.length ? 'partly locked' : 'not locked';
  return indexes.length ? `${partly}, needs ${indexes.join(', ')}` : partly;
}
