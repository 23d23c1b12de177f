import { join } from 'node:path';
import {
  requireImage,
  resolveVariants,
  UsageError,
  writeFileAtomic,
  type Workspace,
} from '@imagesmith/core';
import { collectChecks, type Check } from '@imagesmith/plan';
import type { WorkspaceReader } from '@imagesmith/core';
import {
  checkDriver,
  queryNvidiaDriver,
  variantAccelerator,
  type DriverAnswer,
} from './driver-check';
import { commandCase, hardwareSkip, importCase, type Hardware } from './evaluate-checks';
import { hostProcessRunner } from './host-executor-process';
import { renderJunit, type CaseResult } from './junit';
import { checkLimits, requireValidPatterns, runChecksWith, type ProcessRunner } from './run-checks';
import type { ContainerResults } from './validate-script';

/** The checks the host executor runs: they ask a process, not the image's configuration or files. */
const RUNS_ON_HOST = new Set<Check['kind']>(['command', 'import']);

export interface HostValidateOptions {
  /** Run only the checks that need this hardware (`--requires gpu`). */
  requires?: string;
  hardware: Hardware;
  log: (line: string) => void;
  verbose?: boolean;
  /** Injected in tests; a process of this host otherwise. */
  runner?: ProcessRunner;
  query?: () => Promise<DriverAnswer>;
}

export interface HostSummary {
  variant: string;
  passed: number;
  failed: number;
  skipped: number;
  cases: CaseResult[];
}

/**
 * `validate --executor host`: an image's contract (its own and inherited checks) run as processes
 * of this host, in the current environment, instead of in a container of the built image: for a
 * machine with the accelerator and the image's software but no engine or network (a GPU node, a
 * CI runner with the framework installed). Imports and commands run with the container executor's
 * semantics (runChecksWith: each a process of its own, bounded, its output pattern matched); the
 * checks of the image's own configuration and files (env, files, non-root, size) describe the
 * built image and are reported skipped with that reason. The driver check comes first: a GPU host
 * whose driver is older than the image's minimum is refused before any check runs.
 */
export async function validateOnHost(
  root: string,
  ws: Workspace,
  reader: WorkspaceReader,
  image: string,
  opts: HostValidateOptions,
): Promise<HostSummary[]> {
  requireImage(ws, image);
  const known = [...ws.profiles.values()].flatMap((p) => p.definition.provides ?? []);
  if (opts.requires !== undefined && !known.includes(opts.requires))
    throw new UsageError(
      `--requires ${opts.requires}: no profile provides that hardware; name one of ${[...new Set(known)].sort().join(', ')}`,
    );
  const limits = checkLimits();
  const summaries: HostSummary[] = [];
  for (const v of resolveVariants(ws, image)) {
    const driver = await checkDriver(
      v.name,
      variantAccelerator(v, reader),
      opts.hardware,
      opts.query ?? (() => queryNvidiaDriver()),
    );
    if (driver.status === 'passed' || opts.verbose || opts.requires) opts.log(driver.message);
    const all = collectChecks(ws, image, v.ancestors);
    const checks = opts.requires ? all.filter((c) => c.requires === opts.requires) : all;
    if (opts.requires && checks.length === 0) {
      // Said, not failed: tools/gpu/contract.sh asks every cuda12 image for its gpu checks.
      opts.log(`${v.name}: no check of ${image} or its parents requires ${opts.requires}`);
      summaries.push({ variant: v.name, passed: 0, failed: 0, skipped: 0, cases: [] });
      continue;
    }
    requireValidPatterns(checks);
    const runnable = (c: Check) => RUNS_ON_HOST.has(c.kind) && !hardwareSkip(c, opts.hardware);
    const results = checks.some(runnable)
      ? await runChecksWith(opts.runner ?? hostProcessRunner(), checks, runnable, limits)
      : undefined;
    const cases = evaluateOnHost(checks, results, opts.hardware);
    const count = (st: CaseResult['status']) => cases.filter((c) => c.status === st).length;
    const sum = {
      variant: v.name,
      passed: count('passed'),
      failed: count('failed'),
      skipped: count('skipped'),
      cases,
    };
    report(sum, opts);
    writeFileAtomic(
      join(root, 'dist', 'junit', `${v.name}.host.xml`),
      renderJunit(`validate ${v.name} on this host`, cases),
    );
    summaries.push(sum);
  }
  return summaries;
}

/** Each check's case on the host: hardware skips first, then imports and commands as in a container. Pure. */
export function evaluateOnHost(
  checks: Check[],
  results: ContainerResults | undefined,
  hardware: Hardware,
): CaseResult[] {
  return checks.map((c, i) => {
    const skip = hardwareSkip(c, hardware);
    if (skip) return skip;
    if (c.kind === 'command') return commandCase(c, results?.commands.get(i));
    if (c.kind === 'import') return importCase(c, results?.imports[c.key!]);
    return {
      name: c.name,
      classname: c.from,
      status: 'skipped',
      message: `a ${c.kind} check describes the built image, not this host: run it with the container executor (\`imagesmith validate ${c.from}\`)`,
    };
  });
}

function report(sum: HostSummary, opts: HostValidateOptions): void {
  const counts = `${sum.passed} passed, ${sum.failed} failed, ${sum.skipped} skipped`;
  opts.log(
    `${sum.variant}: contract ${sum.failed > 0 ? 'FAILED' : 'passed'} on this host (${counts})`,
  );
  // The host executor's whole point is what ran here: every check is named, with its reason.
  for (const c of sum.cases) {
    if (!opts.verbose && !opts.requires && c.status !== 'failed') continue;
    const word = c.status === 'passed' ? 'PASS' : c.status === 'failed' ? 'FAIL' : 'SKIP';
    opts.log(`  ${word} [${c.classname}] ${c.name}${c.message ? `: ${c.message}` : ''}`);
  }
}
