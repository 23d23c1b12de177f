import { basename, dirname } from 'node:path';
import { EngineError } from './errors';
import { defaultExec, makeWhich, type Exec, type Which } from './exec';
import { isLoopbackRegistry, parseImageRef, registryOf } from './parse-image-ref';

/** The media type of an SPDX JSON document (an OCI referrer's artifact type). */
export const SPDX_JSON = 'application/spdx+json';

/** How oras runs: injectable so tests see argv without running it. */
export interface OrasOptions {
  exec?: Exec;
  env?: NodeJS.ProcessEnv;
  which?: Which;
}

/** One image manifest of a pushed reference: what an SBOM describes and is attached to. */
export interface SbomSubject {
  platform: string;
  /** `repository@sha256:...` of the platform's image manifest. */
  ref: string;
}

/** What the registry holds under a pushed reference. */
export interface PushedImage {
  /** The image manifest(s), one per platform (attestation manifests left out). */
  subjects: SbomSubject[];
  /** BuildKit attestation manifests (provenance) the index lists, by the digest they describe. */
  attested: string[];
}

const INSTALL = 'install oras 1.2 (`bash tools/setup.sh --engine` installs it)';

/** oras's plain-HTTP switch, only for registries on this machine (as the engines treat them). */
export function orasRegistryFlags(ref: string): string[] {
  return isLoopbackRegistry(registryOf(ref)) ? ['--plain-http'] : [];
}

/** `repository@digest` of a reference (its tag dropped). */
export function atDigest(ref: string, digest: string): string {
  const { registry, repository } = parseImageRef(ref);
  return `${registry ? `${registry}/${repository}` : repository}@${digest}`;
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

/**
 * Reads a manifest or image index (JSON text) into its per-platform image manifests and the
 * attestation manifests BuildKit added (`vnd.docker.reference.type: attestation-manifest`,
 * https://docs.docker.com/build/metadata/attestations/attestation-storage/). A single manifest is
 * one subject, of `fallbackPlatform`. Pure.
 */
export function readPushedImage(
  ref: string,
  digest: string,
  manifestJson: string,
  fallbackPlatform: string,
): PushedImage {
  const doc = JSON.parse(manifestJson) as { manifests?: Descriptor[] };
  if (!doc.manifests)
    return { subjects: [{ platform: fallbackPlatform, ref: atDigest(ref, digest) }], attested: [] };
  const subjects: SbomSubject[] = [];
  const attested: string[] = [];
  for (const m of doc.manifests) {
    const attestationOf = m.annotations?.['vnd.docker.reference.digest'];
    if (m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' && attestationOf) {
      attested.push(attestationOf);
      continue;
    }
    const p = m.platform;
    const platform = p?.os
      ? [p.os, p.architecture, p.variant].filter(Boolean).join('/')
      : fallbackPlatform;
    subjects.push({ platform, ref: atDigest(ref, m.digest) });
  }
  return { subjects, attested };
}

function orasBinary(opts: OrasOptions): string {
  const bin = (opts.which ?? makeWhich(opts.env ?? process.env))('oras');
  if (!bin) throw new EngineError(`oras is not installed: ${INSTALL}`, 'registry');
  return bin;
}

/** The raw manifest (or index) a pushed reference names, read with `oras manifest fetch`. */
export async function fetchManifest(ref: string, opts: OrasOptions = {}): Promise<string> {
  const exec = opts.exec ?? defaultExec;
  const argv = ['manifest', 'fetch', ...orasRegistryFlags(ref), ref];
  const result = await exec(orasBinary(opts), argv, {
    env: opts.env ?? process.env,
    timeoutMs: 120_000,
  });
  if (result.exitCode !== 0)
    throw new EngineError(`oras manifest fetch ${ref} failed: ${result.stderr.trim()}`, 'registry');
  return result.stdout;
}

/**
 * argv of `oras attach`: the SPDX file as a referrer (OCI 1.1 subject) of one image manifest. The
 * file is named relative to oras's working directory: its name is the layer's title, which
 * `oras pull` refuses when it is an absolute path.
 */
export function attachArgv(subject: string, fileName: string): string[] {
  return [
    'attach',
    ...orasRegistryFlags(subject),
    '--artifact-type',
    SPDX_JSON,
    subject,
    `${fileName}:${SPDX_JSON}`,
  ];
}

/** Attaches an SPDX JSON file to an image manifest as an OCI referrer (unsigned). */
export async function attachSpdxReferrer(
  subject: string,
  file: string,
  opts: OrasOptions = {},
): Promise<void> {
  const exec = opts.exec ?? defaultExec;
  const result = await exec(orasBinary(opts), attachArgv(subject, basename(file)), {
    cwd: dirname(file),
    env: opts.env ?? process.env,
    timeoutMs: 300_000,
  });
  if (result.exitCode !== 0)
    throw new EngineError(`oras attach to ${subject} failed: ${result.stderr.trim()}`, 'registry');
}
