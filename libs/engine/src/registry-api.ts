import { EngineError } from './errors';
import { isLoopbackRegistry } from './parse-image-ref';
import type { CredentialSearch } from './registry-credentials';

/** What a manifest request accepts: docker v2 and OCI manifests and indexes, first-class. */
export const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
];

/** How long one registry operation may take unless IMAGESMITH_REGISTRY_TIMEOUT says otherwise. */
export const DEFAULT_REGISTRY_TIMEOUT_MS = 10_000;

export interface RegistryOptions {
  fetch?: typeof fetch;
  /**
   * The engine's own login for a registry (see findRegistryCredentials); asked only when the
   * registry challenges us. Anonymous when left out.
   */
  credentials?: (registry: string, repository: string) => Promise<CredentialSearch>;
  /** The deadline of one operation (a lookup, a config read, a copy), every request in it included. */
  timeoutMs?: number;
}

/** A label the registry copy must carry to count as held (build's content-hash label). */
export interface ExpectedLabel {
  name: string;
  value: string;
}

/**
 * Asks a registry whether it holds a reference. Workflows take one as an argument so unit tests
 * pass a fake (and can assert it was not asked); the HTTP client (registry-client.ts) is the
 * default at the edge.
 */
export interface RegistryLookup {
  /**
   * true on 200, false on 404. Throws RegistryAuthError on 401/403 and RegistryUnavailableError
   * on any other answer, a timeout or no connection: never a silent "absent". With `label`, the
   * copy's image config is read too (never its layers) and a copy labelled otherwise throws
   * RegistryLabelMismatchError: it is there, but it is not this content.
   */
  hasTag(ref: string, label?: ExpectedLabel): Promise<boolean>;
}

/** IMAGESMITH_REGISTRY_TIMEOUT (seconds, e.g. 2 or 0.5) in ms; the default when unset or empty. */
export function registryTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  return secondsSetting(env, 'IMAGESMITH_REGISTRY_TIMEOUT', DEFAULT_REGISTRY_TIMEOUT_MS);
}

/** A setting in seconds (e.g. 10 or 0.5) as ms; `fallbackMs` when unset or empty. */
export function secondsSetting(env: NodeJS.ProcessEnv, name: string, fallbackMs: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallbackMs;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new EngineError(
      `${name}="${raw}" is not a number of seconds: set it to e.g. 10 (or unset it for ${fallbackMs / 1000} s)`,
      'registry',
    );
  return Math.round(seconds * 1000);
}

/** The base URL of a registry: http for localhost and 127.0.0.0/8, https otherwise; Docker Hub for none. */
export function registryBaseUrl(registry: string | undefined): string {
  if (!registry || registry === 'docker.io' || registry === 'index.docker.io')
    return 'https://registry-1.docker.io';
  return `${isLoopbackRegistry(registry) ? 'http' : 'https'}://${registry}`;
}
