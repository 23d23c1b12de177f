import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadWorkspace,
  readWorkspaceConfig,
  parentVariant,
  requireImage,
  resolveVariants,
  plural,
  SpecError,
  UsageError,
  usedPackages,
} from '@imagesmith/core';
import { diskReader } from '../../shared/builtin-assets';
import {
  checkLockAgreement,
  checkParentConstraints,
  LockError,
  lockState,
  MissingPackageError,
  parseLock,
  pinsFromLock,
  renderPyproject,
  runPoetryLock,
  type PackageChange,
} from '@imagesmith/lock';
import { withProgress } from '@imagesmith/engine';
import { generate, generateCatalogue } from '../generate/generate';
import { withInterrupt } from './interrupt-signal';
import { describeLockProblem, UNINSTALLABLE_HINT, pyprojectInput } from '@imagesmith/plan';
import { knownPackages, missingPackageInSpec } from './missing-package-spec';
import { QUIET, type Output } from '../shared/output';

export interface LockResult {
  variant: string;
  changes: PackageChange[];
  /** The lock was made from exactly this pyproject.toml: Poetry did not run. */
  upToDate?: boolean;
}

function readLockText(root: string, outDir: string): string | undefined {
  const file = join(root, outDir, 'poetry.lock');
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

function readLock(root: string, outDir: string) {
  const text = readLockText(root, outDir);
  return text === undefined ? undefined : parseLock(text);
}

/**
 * Lock one image: render its pyproject.toml in memory, refuse constraints that contradict the
 * parent's lock (naming both images), run Poetry atomically, confirm parent and child agree, then
 * generate the image's files (pyproject.toml, requirements, Dockerfile) from the new lock. A
 * failure before that writes nothing.
 */
export interface LockOptions {
  /** Take newer versions (`poetry lock --regenerate`); always runs Poetry. */
  update?: boolean;
  /** Run Poetry even when the lock was made from exactly this pyproject.toml. */
  force?: boolean;
  log?: (l: string) => void;
  output?: Output;
  /** Poetry executable (default `poetry` on PATH). */
  poetry?: string;
}

export async function lockImage(
  root: string,
  image: string,
  options: LockOptions = {},
): Promise<LockResult[]> {
  const log = options.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  // First: an unusable imagesmith.json or IMAGESMITH_* setting fails before anything runs.
  const pipIndex = readWorkspaceConfig(root).mirrors.pip_index;
  const ws = loadWorkspace(root, diskReader(root));
  requireImage(ws, image);
  if (usedPackages(ws.specs.get(image)!.spec).size === 0) {
    log(`${image}: no Python packages to lock`);
    return [];
  }
  // Nothing is written before Poetry succeeded: the pyproject.toml it locks is rendered in memory,
  // and the image's files (that one included) are generated from the new lock at the end.
  const results: LockResult[] = [];
  for (const v of resolveVariants(ws, image)) {
    const parent = parentVariant(ws, v);
    const parentLock = parent ? readLock(root, parent.outDir) : undefined;
    if (parent && usedPackages(ws.specs.get(parent.image)!.spec).size > 0 && !parentLock) {
      throw new UsageError(
        `${v.name}: its base ${parent.name} is not locked yet; run \`nx run ${image}:lock\` through Nx (parents first) or lock ${parent.name} first`,
      );
    }
    const input = pyprojectInput(
      v,
      parent && parentLock ? pinsFromLock(parent.name, parentLock) : undefined,
    );
    const conflicts = checkParentConstraints(input, v.image, v.specFile);
    if (conflicts.length > 0) throw new SpecError(conflicts);
    // Quiet by default: a progress line while Poetry works, its output only in the error when it
    // fails; with --verbose its output as it comes.
    const output = options.output ?? QUIET;
    // Poetry's content-hash says whether the lock was made from exactly this pyproject (which
    // carries the parent's pins, so a relocked parent makes it stale too): then Poetry is skipped.
    const pyproject = renderPyproject(input, { specFile: v.specFile });
    if (!options.update && !options.force) {
      if (lockState(pyproject, readLockText(root, v.outDir)) === 'fresh') {
        results.push({ variant: v.name, changes: [], upToDate: true });
        continue;
      }
    }
    const lock = () =>
      withInterrupt((signal) =>
        runPoetryLock({
          signal,
          dir: join(root, v.outDir),
          pyproject,
          update: options.update,
          poetry: options.poetry,
          // A pip mirror replaces PyPI's simple index for this run only; no committed file names it.
          sourceOverrides: pipIndex ? [{ name: 'pypi-simple', url: pipIndex }] : [],
          onOutput: output.verbose ? (l) => log(`  ${l}`) : undefined,
          knownPackages: () => knownPackages(root, ws),
        }).catch((error: unknown) => {
          // A package no index has: point at the spec field that names it, not at Poetry.
          if (error instanceof MissingPackageError)
            throw missingPackageInSpec(error, ws.specs.get(v.image)!);
          throw error;
        }),
      );
    if (output.verbose)
      log(
        `${v.name}: locking ${v.outDir}/pyproject.toml${options.update ? ' (taking newer versions)' : ''}`,
      );
    const { changed } =
      output.progress && !output.verbose
        ? await withProgress({ ...output.progress, label: `${v.name}: locking (Poetry)` }, lock)
        : await lock();
    const childLock = readLock(root, v.outDir) ?? [];
    if (parent && parentLock) {
      const disagreements = checkLockAgreement(
        { image: parent.name, pkgs: parentLock },
        { image: v.name, pkgs: childLock },
      );
      if (disagreements.length > 0) throw new UsageError(disagreements.join('\n'));
    }
    results.push({ variant: v.name, changes: changed });
  }
  const { lockProblems } = generate(root, { images: [image] });
  // The catalogue table shows each image's lock state: a lock leaves the tree in sync.
  generateCatalogue(root);
  // The new lock stays written (so it can be read and fixed), but the command fails: a lock pip
  // cannot install from wheels would only fail later, in the builder.
  const uninstallable = lockProblems.filter(
    (p) => p.state === 'uninstallable' && p.image === image,
  );
  if (uninstallable.length > 0)
    throw new LockError(
      `${image} is locked, but pip cannot install every locked package from a wheel:\n${uninstallable.map((p) => `  ${describeLockProblem(p)}`).join('\n')}`,
      { hint: `poetry.lock is written so you can read it; ${UNINSTALLABLE_HINT}` },
    );
  return results;
}

export function formatChanges(r: LockResult): string {
  if (r.upToDate) return `${r.variant}: lock up to date (--force relocks)`;
  if (r.changes.length === 0) return `${r.variant}: no changes`;
  const lines = r.changes.map((c) => `  ${c.name}: ${c.from ?? '(new)'} -> ${c.to ?? '(removed)'}`);
  return `${r.variant}: ${plural(r.changes.length, 'change')}\n${lines.join('\n')}`;
}
