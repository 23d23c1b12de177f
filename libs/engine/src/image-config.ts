import { hostPlatform } from './build-argv';
import { EngineError } from './errors';

/** An image's config as the registry serves it (what `docker inspect` shows as Config). */
export interface ImageConfig {
  /** The digest of the manifest the config came from (the platform's, for an index). */
  manifestDigest: string;
  /** `os/architecture` of that manifest. */
  platform: string;
  labels: Record<string, string>;
  /** The config's `created` time (RFC 3339) when it has one. */
  created?: string;
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

interface ManifestDoc {
  mediaType?: string;
  manifests?: Descriptor[];
  config?: Descriptor;
}

/** A manifest as fetched: its bytes, its media type (Content-Type) and its digest. */
export interface FetchedManifest {
  mediaType: string;
  bytes: Uint8Array;
  digest: string;
}

/** `os/architecture` of this machine (`linux/amd64`; a variant such as arm's v7 left off). */
function hostOsArch(): string {
  return hostPlatform().split('/').slice(0, 2).join('/');
}

/** Whether a document is an index / manifest list rather than one image's manifest. */
export function isIndex(doc: ManifestDoc, mediaType: string): boolean {
  return Array.isArray(doc.manifests) || /manifest\.list|image\.index/.test(mediaType);
}

/**
 * The manifest of an index to read the config from: the host's platform, else the first image
 * manifest. BuildKit's attestation manifests (platform unknown/unknown, or the
 * `vnd.docker.reference.type` annotation) are not images and never picked. Every platform of one
 * build carries the same labels, so any real image answers the label question.
 */
export function pickPlatform(
  manifests: Descriptor[],
  platform: string = hostOsArch(),
): Descriptor | undefined {
  const images = manifests.filter(
    (m) =>
      !m.annotations?.['vnd.docker.reference.type'] &&
      m.platform?.os !== 'unknown' &&
      m.platform?.architecture !== 'unknown',
  );
  const name = (m: Descriptor) => `${m.platform?.os}/${m.platform?.architecture}`;
  return images.find((m) => name(m) === platform) ?? images[0];
}

function parseJson(bytes: Uint8Array, what: string, ref: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new EngineError(
      `the registry served ${what} of ${ref} that is not JSON; the registry copy is corrupted: rebuild and push it again`,
      'registry',
      { cause: error },
    );
  }
}

/**
 * The labels of the image `ref` names, from its config blob: the manifest (for an index, the
 * host platform's), then the config it points at. No layer is fetched. `getManifest` (the ref's
 * own, or one by digest) and `getBlob` are the registry's answers (undefined: 404).
 */
export async function readImageConfig(
  ref: string,
  getManifest: (digest?: string) => Promise<FetchedManifest | undefined>,
  getBlob: (digest: string) => Promise<Uint8Array | undefined>,
): Promise<ImageConfig | undefined> {
  let manifest = await getManifest();
  if (!manifest) return undefined;
  let doc = parseJson(manifest.bytes, 'a manifest', ref) as ManifestDoc;
  let platform = '';
  if (isIndex(doc, manifest.mediaType)) {
    const picked = pickPlatform(doc.manifests ?? []);
    if (!picked)
      throw new EngineError(
        `${ref} in the registry is an index with no image manifest in it; rebuild and push it again`,
        'registry',
      );
    platform = `${picked.platform?.os}/${picked.platform?.architecture}`;
    manifest = await getManifest(picked.digest);
    if (!manifest) return undefined; // the index names a manifest the registry lost: not held
    doc = parseJson(manifest.bytes, 'a manifest', ref) as ManifestDoc;
  }
  if (!doc.config?.digest)
    throw new EngineError(
      `${ref} in the registry has a manifest without a config (${manifest.mediaType}); rebuild and push it again`,
      'registry',
    );
  const blob = await getBlob(doc.config.digest);
  if (!blob) return undefined;
  const config = parseJson(blob, 'an image config', ref) as {
    os?: string;
    architecture?: string;
    created?: string;
    config?: { Labels?: Record<string, string> | null };
  };
  return {
    manifestDigest: manifest.digest,
    platform: platform || `${config.os ?? '?'}/${config.architecture ?? '?'}`,
    labels: { ...(config.config?.Labels ?? {}) },
    ...(typeof config.created === 'string' ? { created: config.created } : {}),
  };
}
