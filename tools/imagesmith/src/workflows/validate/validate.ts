import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireImage, resolveVariants, UsageError, writeFileAtomic } from '@imagesmith/core';
import { planBuild } from '../shared/build-plan';
import { contextReader, stateDir, type Session } from '../shared/engine-context';
import { QUIET } from '../shared/output';
import { registryHoldsOrFail } from '../shared/registry-answer';
import { requireContent } from '../shared/content-label';
import { evaluateChecks, type Hardware } from './evaluate-checks';
import { requireDriver } from './driver-check';
import { auditImageSbom } from './sbom-audit';
import { renderJunit, type CaseResult } from './junit';
import { withAttested } from './attestation-satisfy';
import {
  attestedResults,
  openAttestationScope,
  recordValidation,
  satisfactionHere,
} from './attestation-validate';
import { collectChecks, contractHash, type Check } from '@imagesmith/plan';
import { checkLimits, requireValidPatterns, runChecks } from './run-checks';
import {
  cacheFileName,
  onPlatform,
  requireRunnable,
  validatePlatforms,
} from './validate-platforms';

export interface ValidateSummary {
  variant: string;
  passed: number;
  failed: number;
  skipped: number;
  cached: boolean;
  cases: CaseResult[];
  /** The platforms a multi-platform image was validated on, each in its own container. */
  platforms?: string[];
  /** The runners whose verified attestations stood for every check (no container started). */
  attestedBy?: string[];
}

/** Hardware offered by this host: device files, or IMAGESMITH_HARDWARE=gpu,neuron. */
export function detectHardware(env: NodeJS.ProcessEnv = process.env): Hardware {
  const set = new Set(
    (env.IMAGESMITH_HARDWARE ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  if (existsSync('/dev/nvidia0')) set.add('gpu');
  if (existsSync('/dev/neuron0')) set.add('neuron');
  return set;
}

/**
 * Run an image's contract (its own and inherited checks) in the built image: each check in a fresh
 * container of its own (--network none; hardware checks with the profile's run flags, when the
 * host has that hardware), so no check sees what another left and the image's code cannot write
 * a result (run-checks.ts).
 * A multi-platform image runs the contract on each of its platforms (a foreign one under qemu),
 * each platform's checks named with it. A passing result is cached per image id, contract and
 * platform, so an unchanged image is not started again.
 */
export async function validateImage(s: Session, image: string): Promise<ValidateSummary[]> {
  requireImage(s.ws, image);
  const hardware = detectHardware();
  const limits = checkLimits();
  const summaries: ValidateSummary[] = [];
  const context = contextReader(s.root);
  for (const v of resolveVariants(s.ws, image)) {
    // Issue 13: on a GPU host, a driver older than the image's CUDA needs is refused first.
    await requireDriver(s, v, hardware);
    const plan = planBuild(s.ws, s.config, v, 'production', context);
    const ref = plan.refs.content;
    const checks = collectChecks(s.ws, image, v.ancestors);
    requireValidPatterns(checks);
    const platforms = validatePlatforms(v.spec.platforms);
    const contract = contractHash(checks);
    let info = await s.engine.inspect(ref);
    // Issue 12 item 4: verified attestations on the registry digest, read before any pull; when
    // they stand for every check, no container starts and nothing is pulled (attestation-validate.ts).
    const scope = await openAttestationScope(s, plan, info);
    const all = platforms.length > 0 ? platforms : [undefined];
    const attested = scope && attestedResults(scope, checks, contract, hardware, all);
    if (attested) {
      for (const a of attested)
        report(s, { ...summarize(v.name, a.cases, false), attestedBy: a.runners }, a.platform);
      const cases = attested.flatMap((a) => a.cases);
      writeFileAtomic(
        join(s.root, 'dist', 'junit', `${v.name}.xml`),
        renderJunit(`validate ${v.name}`, cases),
      );
      summaries.push({
        ...summarize(v.name, cases, true),
        ...(platforms.length > 0 ? { platforms } : {}),
      });
      continue;
    }
    if (!info && (await registryHoldsOrFail(s, v.name, image, ref))) {
      await s.engine.pull(ref);
      info = await s.engine.inspect(ref);
    }
    if (!info)
      throw new UsageError(`${v.name}: ${ref} is not built; run \`nx run ${image}:build\` first`);
    requireContent(info, plan, image);
    await requireRunnable(s.engine, image, v.name, platforms);
    const cases: CaseResult[] = [];
    let allCached = true;
    // undefined: one platform or none, the engine's default, exactly as before platforms existed.
    for (const platform of platforms.length > 0 ? platforms : [undefined]) {
      const key = {
        imageId: info.id,
        contract: contractHash(checks),
        hardware: [...hardware].sort(),
        ...(platform ? { platform } : {}),
      };
      const cacheFile = join(stateDir(s.root, v), cacheFileName(platform));
      const cached = readCache(cacheFile, key);
      let mine: CaseResult[];
      // Checks a verified attestation stands for are not run here (attestation-satisfy.ts).
      const sat = cached
        ? undefined
        : satisfactionHere(scope, checks, contract, hardware, platform);
      const here = (c: Check) => !sat || sat.run.includes(checks.indexOf(c));
      if (cached) {
        mine = cached;
      } else {
        const opts = { variant: v.name, limits, platform };
        const results = await runChecks(s.engine, ref, checks, (c) => !c.requires && here(c), opts);
        const hw = checks.filter((c) => c.requires && hardware.has(c.requires) && here(c));
        // Hardware checks get a container of their own with the profile's run flags (--gpus all).
        const hwResults =
          hw.length > 0
            ? await runChecks(s.engine, ref, checks, (c) => hw.includes(c), {
                ...opts,
                runFlags: v.profile.run_flags,
              })
            : undefined;
        const ran = evaluateChecks(checks, info, results, hwResults, hardware);
        const evaluated = sat ? withAttested(checks, ran, sat) : ran;
        mine = platform ? onPlatform(evaluated, platform) : evaluated;
      }
      const part = summarize(v.name, mine, Boolean(cached));
      report(s, part, platform);
      if (scope)
        await recordValidation(s, scope, {
          ...{ variant: v.name, checks, contract, cases: mine, hardware },
          ...(platform ? { platform } : {}),
          ...(sat ? { satisfaction: sat } : {}),
        });
      if (!cached && !sat && part.failed === 0)
        writeFileAtomic(cacheFile, `${JSON.stringify({ key, cases: mine }, null, 2)}\n`);
      allCached &&= Boolean(cached);
      cases.push(...mine);
    }
    // Issue 12: the venv holds only what the locks pin, at their versions (sbom-audit.ts).
    cases.push(await auditImageSbom(s, v, ref, info.id));
    writeFileAtomic(
      join(s.root, 'dist', 'junit', `${v.name}.xml`),
      renderJunit(`validate ${v.name}`, cases),
    );
    summaries.push({
      ...summarize(v.name, cases, allCached),
      ...(platforms.length > 0 ? { platforms } : {}),
    });
  }
  return summaries;
}

function readCache(file: string, key: object): CaseResult[] | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { key: object; cases: CaseResult[] };
    return JSON.stringify(data.key) === JSON.stringify(key) ? data.cases : undefined;
  } catch {
    return undefined;
  }
}

function summarize(variant: string, cases: CaseResult[], cached: boolean): ValidateSummary {
  const count = (st: CaseResult['status']) => cases.filter((c) => c.status === st).length;
  return {
    variant,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    cached,
    cases,
  };
}

/**
 * One line per variant (per platform of a multi-platform image); then each failed check (always),
 * and every check with --verbose. A skipped check (hardware this host lacks) counts in the line and
 * is named with --verbose.
 */
function report(s: Session, sum: ValidateSummary, platform?: string): void {
  const verbose = (s.output ?? QUIET).verbose;
  const counts = `${sum.passed} passed, ${sum.failed} failed, ${sum.skipped} skipped`;
  const on = platform ? ` on ${platform}` : '';
  s.log(
    sum.failed > 0
      ? `${sum.variant}: contract FAILED${on} (${counts})`
      : `${sum.variant}: contract passed${on} (${counts}${sum.attestedBy ? `; verified attestation from ${sum.attestedBy.join(', ')}, no container started` : sum.cached ? '; this exact image passed before, no container started' : ''})`,
  );
  for (const c of sum.cases) {
    if (!verbose && c.status !== 'failed') continue;
    const word = c.status === 'passed' ? 'PASS' : c.status === 'failed' ? 'FAIL' : 'SKIP';
    s.log(`  ${word} [${c.classname}] ${c.name}${c.message ? `: ${c.message}` : ''}`);
  }
}
