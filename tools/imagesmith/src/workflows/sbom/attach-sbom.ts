import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImagesmithError } from '@imagesmith/core';
import {
  atDigest,
  attachSpdxReferrer,
  attest,
  fetchManifest,
  findSyft,
  hostPlatform,
  readPushedImage,
  runSyft,
  signingKey,
  syftEnv,
  syftScanArgv,
  type EngineName,
  type SigningSettings,
} from '@imagesmith/engine';
import type { BuildPlan } from '../shared/build-plan';
import type { Session } from '../shared/engine-context';

/** The tools the SBOM step runs, injectable so tests see what ran (and what did not). */
export interface SbomDeps {
  env: NodeJS.ProcessEnv;
  findSyft: typeof findSyft;
  /** syft: an SPDX JSON document of `source` into `file`. */
  scan(syft: string, source: string, file: string, env: NodeJS.ProcessEnv): Promise<void>;
  fetchManifest(ref: string): Promise<string>;
  attest: typeof attest;
  attachReferrer: typeof attachSpdxReferrer;
}

export const realSbomDeps = (env: NodeJS.ProcessEnv = process.env): SbomDeps => ({
  env,
  findSyft,
  scan: (syft, source, file, e) =>
    runSyft(syft, syftScanArgv(source, { 'spdx-json': file }), syftEnv(source, e)),
  fetchManifest: (ref) => fetchManifest(ref, { env }),
  attest,
  attachReferrer: (subject, file) => attachSpdxReferrer(subject, file, { env }),
});

/** What the SBOM step needs to know about the push it follows. */
export interface PushedRef {
  variant: string;
  /** The content tag that was pushed, and the digest it names now (an index or a manifest). */
  ref: string;
  digest: string;
  /** The platform a single (non-index) manifest is for. */
  platform: string;
  /** The engine that built it, for the line saying why an image carries no provenance. */
  engine: EngineName;
  root: string;
  signing?: SigningSettings;
}

/** In-toto predicate type cosign gives `--type spdxjson` (https://spdx.dev/Document). */
export const SPDX_PREDICATE = 'spdxjson';

/**
 * After a push (issue 12): says whether each platform's image carries BuildKit's SLSA provenance,
 * then scans each platform's image manifest in the registry with syft (its real content: Debian
 * and Python packages) and attaches the SPDX JSON to that manifest: a cosign attestation signed
 * with the workspace's key (imagesmith.json `signing.key` or COSIGN_KEY), or, with no key, an OCI
 * referrer (`oras attach`). No syft: a line saying what to install, and under CI=true an error.
 * Returns one line per platform.
 */
export async function attachSboms(
  pushed: PushedRef,
  log: (line: string) => void,
  deps: SbomDeps = realSbomDeps(),
): Promise<string[]> {
  const v = pushed.variant;
  const syft = deps.findSyft(deps.env);
  if (!syft.path) {
    // Nothing is scanned or fetched: a machine without syft may lack oras too.
    const why = `${v}: no SBOM attached to ${pushed.ref}: ${syft.problem}`;
    if (deps.env.CI === 'true') throw new ImagesmithError(why);
    log(why);
    return [];
  }
  const syftPath = syft.path;
  const image = readPushedImage(
    pushed.ref,
    pushed.digest,
    await deps.fetchManifest(atDigest(pushed.ref, pushed.digest)),
    pushed.platform,
  );
  const key = signingKey(pushed.root, pushed.signing, deps.env);
  const lines: string[] = [];
  for (const subject of image.subjects) {
    const digest = subject.ref.slice(subject.ref.indexOf('@') + 1);
    const provenance = image.attested.includes(digest)
      ? 'SLSA provenance (BuildKit)'
      : pushed.engine === 'docker'
        ? 'no provenance (BuildKit attests pushes from a builder and loads into the containerd image store; this image came another way)'
        : `no provenance (${pushed.engine} cannot attest; BuildKit builds do)`;
    const dir = mkdtempSync(join(tmpdir(), 'imagesmith-spdx-'));
    try {
      const file = join(dir, 'sbom.spdx.json');
      await deps.scan(syftPath, `registry:${subject.ref}`, file, deps.env);
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { packages?: unknown[] };
      if (key) {
        await deps.attest(subject.ref, { predicateFile: file, type: SPDX_PREDICATE }, key, {
          env: deps.env,
        });
      } else {
        await deps.attachReferrer(subject.ref, file);
      }
      const how = key
        ? `a signed attestation (${key.setting})`
        : 'an OCI referrer, unsigned (no signing key)';
      lines.push(
        `${v}: ${subject.platform} ${digest}: ${provenance}; SPDX SBOM of ${doc.packages?.length ?? 0} packages attached as ${how}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  for (const line of lines) log(line);
  return lines;
}

/** push's hook: the SBOM step for one pushed plan (its content tag at `digest`). */
export function attachPushedSboms(
  s: Pick<Session, 'root' | 'config' | 'engine' | 'log'>,
  plan: Pick<BuildPlan, 'refs' | 'variant' | 'platform'>,
  digest: string,
): Promise<string[]> {
  const v = plan.variant;
  return attachSboms(
    {
      variant: v.name,
      ref: plan.refs.content,
      digest,
      platform: plan.platform ?? v.spec.platforms?.[0] ?? hostPlatform(),
      engine: s.engine.name,
      root: s.root,
      signing: s.config.signing,
    },
    s.log,
  );
}
