import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkEndOfLife,
  type EolFinding,
  linkProblem,
  SpecError,
  writeFileAtomic,
  type GeneratedFile,
} from '@imagesmith/core';
import {
  type LockProblem,
  loadPlanInputs,
  planCatalogueFiles,
  planInputsAndLocks,
} from '@imagesmith/plan';
import { diskReader } from '../../shared/builtin-assets';

export interface GenerateResult {
  written: string[];
  unchanged: string[];
  /** With check: files whose committed content differs from what generate would write. */
  drifted: string[];
  /** Locks of these images and their ancestors that are absent or were made from another pyproject. */
  lockProblems: LockProblem[];
  /** Warnings about deprecated images among those generated, or their parents. */
  deprecations: string[];
  /** End-of-life warnings (ending within 180 days, or ended and allowed by allow_eol). */
  endOfLife: EolFinding[];
}

/**
 * The CLI's way to the same rendering the Nx sync generator does: validate the whole catalogue
 * first (a SpecError leaves every file as it was), render in memory, write each changed file
 * atomically. Without `images`, the README table, dependabot.yml and the refresh-locks workflow too.
 */
export function generate(
  root: string,
  options: { images?: string[]; check?: boolean; today?: string } = {},
): GenerateResult {
  const scope = { images: options.images, catalogue: options.images === undefined };
  const inputs = loadPlanInputs(root, scope, diskReader(root));
  // The end-of-life guard, before anything is written: an image past an end of life without
  // allow_eol fails the command and leaves every file as it was. `today` only decides what is
  // said here; no generated file depends on it.
  const endOfLife = options.today
    ? checkEndOfLife(inputs.ws, options.images ?? [...inputs.ws.specs.keys()].sort(), options.today)
    : [];
  const ended = endOfLife.filter((f) => f.severity === 'error');
  if (ended.length > 0)
    throw new SpecError(
      ended.map(({ file, line, column, path, message, hint }) => ({
        file,
        line,
        column,
        path,
        message,
        hint,
      })),
    );
  const { files, lockProblems, deprecations } = planInputsAndLocks(inputs, scope);
  refuseLinks(root, files);
  return {
    ...(options.check ? checkFiles(root, files) : writeFiles(root, files)),
    lockProblems,
    deprecations,
    endOfLife,
  };
}

/**
 * Only the workspace-wide files (the catalogue table in images/README.md, dependabot.yml, the
 * refresh-locks workflow), planned from the whole catalogue: what a lock changes beside its
 * image's own files (the table's Status and Description cells).
 */
export function generateCatalogue(root: string): Pick<GenerateResult, 'written' | 'unchanged'> {
  const files = planCatalogueFiles(loadPlanInputs(root, {}, diskReader(root)));
  refuseLinks(root, files);
  const { written, unchanged } = writeFiles(root, files);
  return { written, unchanged };
}

// Reading refuses links already (fsReader); this covers what is only written, e.g. a Dockerfile
// or a whole .github that is a link. Checked for every file before any is written.
function refuseLinks(root: string, files: GeneratedFile[]): void {
  const links = new Map(
    files.flatMap((f) => {
      const problem = linkProblem(root, f.path);
      return problem ? [[problem.file, problem] as const] : [];
    }),
  );
  if (links.size > 0) throw new SpecError([...links.values()]);
}

function current(root: string, path: string): string | undefined {
  const abs = join(root, path);
  return existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
}

type Written = Omit<GenerateResult, 'lockProblems' | 'deprecations' | 'endOfLife'>;

function writeFiles(root: string, files: GeneratedFile[]): Written {
  const result: Written = { written: [], unchanged: [], drifted: [] };
  for (const f of files)
    (writeFileAtomic(join(root, f.path), f.content) ? result.written : result.unchanged).push(
      f.path,
    );
  return result;
}

function checkFiles(root: string, files: GeneratedFile[]): Written {
  const result: Written = { written: [], unchanged: [], drifted: [] };
  for (const f of files)
    (current(root, f.path) === f.content ? result.unchanged : result.drifted).push(f.path);
  return result;
}
