import { EngineError } from './errors';

export interface ImageRef {
  /** Registry host[:port] when the reference names one (Docker Hub refs have none). */
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;

/**
 * Splits an image reference the way docker does: the first path component is a registry when
 * it contains '.' or ':' or is 'localhost'. Nothing is filled in (no docker.io, no library/, no latest).
 */
export function parseImageRef(ref: string): ImageRef {
  const bad = (why: string) =>
    new EngineError(
      `invalid image reference "${ref}": ${why}. Use [registry[:port]/]name[:tag][@sha256:digest], e.g. 127.0.0.1:5000/library/python:3.11-slim`,
      'image-ref',
    );
  if (!ref || ref !== ref.trim()) throw bad('empty or surrounded by whitespace');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw bad(`"${digest}" is not a digest`);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (
      first.includes('.') ||
      first.includes(':') ||
      first === 'localhost' ||
      first.startsWith('[')
    ) {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw bad(`"${tag}" is not a valid tag`);
  }
  if (!rest) throw bad('the repository name is missing');
  for (const component of rest.split('/')) {
    if (!COMPONENT.test(component))
      throw bad(`"${component}" is not a valid (lower-case) name component`);
  }
  const parsed: ImageRef = { repository: rest };
  if (registry !== undefined) parsed.registry = registry;
  if (tag !== undefined) parsed.tag = tag;
  if (digest !== undefined) parsed.digest = digest;
  return parsed;
}

/** The registry host without its port: 127.0.0.1:5000 -> 127.0.0.1, [::1]:5000 -> ::1. */
export function registryHost(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(1, registry.indexOf(']'));
  return registry.split(':')[0] ?? registry;
}

/** True for localhost and 127.0.0.0/8 (and ::1): plain-http registries the engines treat as insecure. */
export function isLoopbackRegistry(registry: string | undefined): boolean {
  if (!registry) return false;
  const host = registryHost(registry);
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The registry part of a reference, or undefined (Docker Hub) when it has none or cannot be parsed. */
export function registryOf(ref: string): string | undefined {
  try {
    return parseImageRef(ref).registry;
  } catch {
    return undefined;
  }
}

/** Where a reference lives in the registry API: `GET /v2/<repository>/manifests/<reference>`. */
export interface RegistryLocation {
  /** host[:port]; `docker.io` for Docker Hub. */
  registry: string;
  /** With Docker Hub's implicit `library/` filled in. */
  repository: string;
  /** The digest when the reference names one, else the tag (`latest` when it names none). */
  reference: string;
}

/** The registry API coordinates of a reference, filling in what docker fills in. */
export function registryLocation(ref: string): RegistryLocation {
  const parsed = parseImageRef(ref);
  const hub = !parsed.registry;
  return {
    registry: parsed.registry ?? 'docker.io',
    repository:
      hub && !parsed.repository.includes('/') ? `library/${parsed.repository}` : parsed.repository,
    reference: parsed.digest ?? parsed.tag ?? 'latest',
  };
}

/** `registry/repository` of a reference, without tag or digest, as it was written. */
export function repositoryName(ref: string): string {
  const parsed = parseImageRef(ref);
  return parsed.registry ? `${parsed.registry}/${parsed.repository}` : parsed.repository;
}

/** The tag a reference names (`latest` when none): `127.0.0.1:5000/ns/base:1.0-r3` -> `1.0-r3`. */
export function tagOf(ref: string): string {
  return parseImageRef(ref).tag ?? 'latest';
}

/** The same repository under another tag (any digest dropped): `r/ns/app:ch-1`, `0.1` -> `r/ns/app:0.1`. */
export function withTag(ref: string, tag: string): string {
  return `${repositoryName(ref)}:${tag}`;
}
