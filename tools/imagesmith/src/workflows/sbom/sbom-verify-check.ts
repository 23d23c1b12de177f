import {
  EngineError,
  fetchManifest,
  hostPlatform,
  readPushedImage,
  verifyAttestations,
} from '@imagesmith/engine';
import type { CheckResult, VerifyCheck, VerifyContext } from '../verify/verify-check';
import { SPDX_PREDICATE } from './attach-sbom';

const HINT =
  'push the image with syft installed and a signing key configured: push attaches a signed SPDX SBOM to each platform image (README "SBOM and provenance")';

/** What the check runs, injectable so tests need neither a registry nor cosign. */
export interface SbomCheckDeps {
  fetchManifest(ref: string, env?: NodeJS.ProcessEnv): Promise<string>;
  verifyAttestations: typeof verifyAttestations;
}

const REAL: SbomCheckDeps = {
  fetchManifest: (ref, env) => fetchManifest(ref, { env }),
  verifyAttestations,
};

/** The per-platform references a tag names: each image manifest of its index, or the tag itself. */
async function subjectsOf(
  ref: string,
  ctx: Pick<VerifyContext, 'cosign'>,
  fetch: SbomCheckDeps['fetchManifest'],
): Promise<{ platform: string; ref: string }[]> {
  const text = await fetch(ref, ctx.cosign.env);
  const doc = JSON.parse(text) as { manifests?: unknown[] };
  // A single manifest: cosign resolves the tag to it itself.
  if (!doc.manifests) return [{ platform: hostPlatform(), ref }];
  return readPushedImage(ref, '', text, hostPlatform()).subjects;
}

/**
 * Every platform image the reference names carries an SPDX SBOM attestation (cosign, `spdxjson`)
 * signed by the configured public key: what push attaches when it has a key (issue 12).
 */
export function makeSbomCheck(deps: SbomCheckDeps = REAL): VerifyCheck {
  return {
    name: 'SBOM',
    async check(ref, ctx): Promise<CheckResult> {
      let subjects: { platform: string; ref: string }[];
      try {
        subjects = await subjectsOf(ref, ctx, deps.fetchManifest);
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        return { ok: false, line: `cannot read ${ref}: ${error.message}`, hint: HINT };
      }
      const found: string[] = [];
      for (const s of subjects) {
        const answer = await deps.verifyAttestations(
          s.ref,
          SPDX_PREDICATE,
          ctx.publicKey,
          ctx.cosign,
        );
        if (!answer.verified)
          return {
            ok: false,
            line: `${s.platform}: no SPDX SBOM attestation signed by the key in ${ctx.publicKey.setting}${answer.reason ? ` (${answer.reason})` : ''}`,
            hint: HINT,
          };
        const doc = answer.statements[0]?.predicate as { packages?: unknown[] } | undefined;
        found.push(`${s.platform} (${doc?.packages?.length ?? 0} packages)`);
      }
      return { ok: true, line: `SPDX SBOM attested for ${found.join(', ')}` };
    },
  };
}

export const sbomCheck = makeSbomCheck();
