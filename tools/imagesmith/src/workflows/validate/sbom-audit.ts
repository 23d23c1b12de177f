import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '@imagesmith/core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentVariant, type ImageVariant, type Workspace } from '@imagesmith/core';
import {
  exportForSyft,
  findSyft,
  hostPlatform,
  normalizePlatform,
  localImageSource,
  runSyft,
  syftEnv,
  syftScanArgv,
  type Engine,
} from '@imagesmith/engine';
import { parseLock, pinsFromLock } from '@imagesmith/lock';
import { auditVenv, venvPackages, type LockPins } from './sbom-audit-compare';
import type { CaseResult } from './junit';
import { stateDir, type Session } from '../shared/engine-context';

const CLASSNAME = 'sbom';
const NAME = 'venv packages are pinned by the lock';

/** The locks an image's venv may hold packages from: its own, then each catalogue ancestor's. */
export function lockPinsOf(
  root: string,
  ws: Pick<Workspace, 'specs' | 'profiles'>,
  v: ImageVariant,
): LockPins[] {
  const out: LockPins[] = [];
  for (let at: ImageVariant | undefined = v; at; at = parentVariant(ws, at)) {
    const file = join(at.outDir, 'poetry.lock');
    const abs = join(root, file);
    if (!existsSync(abs)) continue;
    out.push({
      file,
      packages: pinsFromLock(at.name, parseLock(readFileSync(abs, 'utf8'))).packages,
    });
  }
  return out;
}

/**
 * Audit an image's venv against its locks (issue 12): syft lists the Python distributions
 * installed under /opt/venv; each must be pinned, at the same version, by the image's lock or a
 * catalogue ancestor's. One case: failed naming every package that is not, skipped when this
 * machine has no syft (failed under CI=true, where nothing may skip).
 */
export async function sbomAuditCase(
  engine: Pick<Engine, 'name' | 'binary'>,
  ref: string,
  locks: LockPins[],
  env: NodeJS.ProcessEnv = process.env,
  platform?: string,
): Promise<CaseResult> {
  const syft = findSyft(env);
  if (!syft.path) {
    const message = `the SBOM audit needs syft: ${syft.problem}`;
    return {
      classname: CLASSNAME,
      name: NAME,
      status: env.CI === 'true' ? 'failed' : 'skipped',
      message,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'imagesmith-sbom-'));
  try {
    const archive = join(dir, 'image.tar');
    await exportForSyft(engine, ref, archive, env);
    const out = join(dir, 'syft.json');
    const source = localImageSource(engine.name, ref, archive);
    try {
      await runSyft(
        syft.path,
        syftScanArgv(source, { 'syft-json': out }, platform),
        syftEnv(source, env),
      );
    } catch (error) {
      const message = `syft could not scan ${ref}: ${(error as Error).message}`;
      return { classname: CLASSNAME, name: NAME, status: 'failed', message };
    }
    const problems = auditVenv(venvPackages(readFileSync(out, 'utf8')), locks);
    return problems.length === 0
      ? { classname: CLASSNAME, name: NAME, status: 'passed' }
      : { classname: CLASSNAME, name: NAME, status: 'failed', message: problems.join('; ') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * validate's hook: the audit of one variant's image, printed as one line (with every problem when
 * it fails). A pass is remembered per image id and lock pins, so an unchanged image is not
 * scanned again.
 */
export async function auditImageSbom(
  s: Session,
  v: ImageVariant,
  ref: string,
  imageId: string,
): Promise<CaseResult> {
  const locks = lockPinsOf(s.root, s.ws, v);
  const key = JSON.stringify({ imageId, locks });
  const cacheFile = join(stateDir(s.root, v), 'sbom-audit.json');
  let result: CaseResult | undefined;
  try {
    if (readFileSync(cacheFile, 'utf8') === key)
      result = { classname: CLASSNAME, name: NAME, status: 'passed' };
  } catch {
    // no earlier pass
  }
  const cached = result !== undefined;
  // A multi-platform image: the host's platform where it has one (what syft reads from the store).
  const platforms = (v.spec.platforms ?? []).map(normalizePlatform);
  const platform = platforms.includes(hostPlatform()) ? hostPlatform() : platforms[0];
  result ??= await sbomAuditCase(s.engine, ref, locks, process.env, platform);
  if (!cached && result.status === 'passed') writeFileAtomic(cacheFile, key);
  const word = { passed: 'passed', failed: 'FAILED', skipped: 'skipped' }[result.status];
  s.log(
    `${v.name}: SBOM audit ${word}${cached ? ' (this exact image passed before)' : ''}${result.message ? `: ${result.message}` : ''}`,
  );
  return result;
}
