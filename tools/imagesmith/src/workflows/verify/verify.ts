import { resolve } from 'node:path';
import {
  ImagesmithError,
  readWorkspaceConfig,
  requireImage,
  resolveVariants,
  UsageError,
  type WorkspaceConfig,
} from '@imagesmith/core';
import { parseImageRef, requireKey, verificationKey, type CosignKey } from '@imagesmith/engine';
import { loadPlanInputs } from '@imagesmith/plan';
import { diskReader } from '../../shared/builtin-assets';
import { planBuild } from '../shared/build-plan';
import { contextReader } from '../shared/engine-context';
import { VERIFY_CHECKS } from './checks';
import type { CheckResult, VerifyCheck, VerifyContext } from './verify-check';

/** A workspace image's name, or else an image reference (`registry/repo:tag`, `repo@sha256:...`). */
export function isImageName(what: string): boolean {
  return /^[a-z0-9][a-z0-9._-]*$/.test(what);
}

/**
 * The references `verify <image>` checks: each variant's content-hash tag (this exact content) and
 * pinned tag (the production tag, which never moves). The floating tag moves by design. No engine.
 */
export function imageReferences(root: string, config: WorkspaceConfig, image: string): string[] {
  const ws = loadPlanInputs(root, { images: [image] }, diskReader(root)).ws;
  requireImage(ws, image);
  const context = contextReader(root);
  return resolveVariants(ws, image).flatMap((v) => {
    const { refs } = planBuild(ws, config, v, 'production', context);
    return [refs.content, refs.pinned];
  });
}

/** The public key: --public-key (a file), else COSIGN_PUBLIC_KEY, else signing.public_key. */
export function publicKeyFor(
  root: string,
  config: WorkspaceConfig,
  option: string | undefined,
  env: NodeJS.ProcessEnv,
): CosignKey {
  if (option !== undefined)
    return { kind: 'file', path: resolve(option), setting: `--public-key ("${option}")` };
  const key = verificationKey(root, config.signing, env);
  if (!key)
    throw new UsageError(
      'verify needs the public key to check signatures with: set "signing": {"public_key": "cosign.pub"} in imagesmith.json, COSIGN_PUBLIC_KEY to the key text, or pass --public-key <file>',
    );
  return key;
}

/** One reference's results, one line per check. */
export interface Verification {
  ref: string;
  results: ({ name: string } & CheckResult)[];
}

/** Runs every check on every reference (none stops the others), in order. */
export async function runChecks(
  refs: readonly string[],
  ctx: VerifyContext,
  checks: readonly VerifyCheck[] = VERIFY_CHECKS,
): Promise<Verification[]> {
  const out: Verification[] = [];
  for (const ref of refs) {
    const results = [];
    for (const c of checks) results.push({ name: c.name, ...(await c.check(ref, ctx)) });
    out.push({ ref, results });
  }
  return out;
}

/** `<ref>: <check>: <line>` for each result: passing ones as they are, failures marked FAILED. */
export function formatVerifications(verifications: readonly Verification[]): string[] {
  return verifications.flatMap((v) =>
    v.results.map((r) => `${v.ref}: ${r.name}: ${r.ok ? 'ok, ' : 'FAILED: '}${r.line}`),
  );
}

/**
 * `imagesmith verify <image | reference>`: prints a line per reference and check; throws (exit 1)
 * naming each failed reference and why when any check fails.
 */
export async function verify(
  root: string,
  what: string,
  options: { publicKey?: string; log: (line: string) => void; env?: NodeJS.ProcessEnv },
  checks: readonly VerifyCheck[] = VERIFY_CHECKS,
): Promise<Verification[]> {
  const env = options.env ?? process.env;
  // First: an unusable imagesmith.json or IMAGESMITH_* setting fails before anything runs.
  const config = readWorkspaceConfig(root, env);
  const publicKey = publicKeyFor(root, config, options.publicKey, env);
  requireKey(publicKey, 'public', env);
  let refs: string[];
  if (isImageName(what)) {
    try {
      refs = imageReferences(root, config, what);
    } catch (error) {
      if (!(error instanceof UsageError) || !error.message.includes(`"${what}"`)) throw error;
      throw new UsageError(
        `${error.message}; to verify an image outside the workspace, give its full reference (registry/repository:tag or @sha256:...)`,
        { cause: error },
      );
    }
  } else {
    parseImageRef(what); // an invalid reference is said before cosign runs
    refs = [what];
  }
  const verifications = await runChecks(refs, { root, publicKey, cosign: { env } }, checks);
  const lines = formatVerifications(verifications);
  const failed = lines.filter((l) => / FAILED: /.test(l));
  for (const line of lines) if (!failed.includes(line)) options.log(line);
  if (failed.length > 0) {
    const hints = new Set(
      verifications.flatMap((v) => v.results.filter((r) => !r.ok && r.hint).map((r) => r.hint)),
    );
    throw new ImagesmithError(`verify failed:\n${failed.map((l) => `  ${l}`).join('\n')}`, {
      ...(hints.size > 0 ? { hint: [...hints].join('; ') } : {}),
    });
  }
  return verifications;
}
