import { createHash } from 'node:crypto';
import { EngineError } from './errors';
import { readImageConfig, type FetchedManifest, type ImageConfig } from './image-config';
import { parseImageRef, registryLocation, type RegistryLocation } from './parse-image-ref';
import {
  MANIFEST_TYPES,
  type ExpectedLabel,
  type RegistryLookup,
  type RegistryOptions,
} from './registry-api';
import type { RegistryAccess } from './registry-auth';
import { RegistryLabelMismatchError } from './registry-errors';
import { registrySender, unexpected, withinDeadline } from './registry-request';

/** The one registry client: every registry question imagesmith asks goes through it. */
export interface RegistryClient extends RegistryLookup {
  /** The manifest digest the tag names now (an index's own digest), or undefined on 404. */
  manifestDigest(ref: string): Promise<string | undefined>;
  /** The image's config labels (host platform of an index), or undefined on 404. Layers are never fetched. */
  imageConfig(ref: string): Promise<ImageConfig | undefined>;
  /**
   * Points `toTag` of the same repository at the manifest `fromRef` names (its exact bytes and
   * media type), without pulling or pushing a layer. Returns the digest `toTag` names now.
   */
  copyTag(fromRef: string, toTag: string): Promise<string>;
}

const ACCEPT = { Accept: MANIFEST_TYPES.join(', ') };
const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/**
 * The HTTP client over the registry API (https://distribution.github.io/distribution/spec/api/):
 * as the engines ask (anonymous first, then their own login, Basic or Bearer), each operation
 * under IMAGESMITH_REGISTRY_TIMEOUT's deadline naming the registry and the reference.
 */
export function createRegistryClient(opts: RegistryOptions = {}): RegistryClient {
  const send = registrySender(opts);
  const within = <T>(
    ref: string,
    op: (loc: RegistryLocation, signal: AbortSignal) => Promise<T>,
  ) => {
    const loc = registryLocation(ref);
    return withinDeadline(loc.registry, ref, opts.timeoutMs, (signal) => op(loc, signal));
  };

  /** HEAD, then GET where a registry does not allow HEAD on manifests. */
  const headManifest = async (loc: RegistryLocation, ref: string, signal: AbortSignal) => {
    const call = { path: `manifests/${loc.reference}`, headers: ACCEPT };
    let res = await send(loc, ref, { ...call, method: 'HEAD' }, signal);
    if (res.status === 405) {
      await res.body?.cancel();
      res = await send(loc, ref, { ...call, method: 'GET' }, signal);
    }
    return res;
  };

  const getManifest = async (
    loc: RegistryLocation,
    ref: string,
    signal: AbortSignal,
    access: RegistryAccess = 'pull',
  ): Promise<FetchedManifest | undefined> => {
    const res = await send(
      loc,
      ref,
      { method: 'GET', path: `manifests/${loc.reference}`, headers: ACCEPT, access },
      signal,
    );
    if (res.status === 404) {
      await res.body?.cancel();
      return undefined;
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw unexpected(res.status, loc.registry, ref);
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    const mediaType =
      res.headers.get('content-type')?.split(';')[0]?.trim() ||
      ((JSON.parse(Buffer.from(bytes).toString('utf8')) as { mediaType?: string }).mediaType ?? '');
    // The digest is of the exact bytes: a registry may leave the header out.
    return { mediaType, bytes, digest: res.headers.get('docker-content-digest') ?? sha256(bytes) };
  };

  const client: RegistryClient = {
    async hasTag(ref, label?: ExpectedLabel) {
      const held = await within(ref, async (loc, signal) => {
        const res = await headManifest(loc, ref, signal);
        await res.body?.cancel();
        if (res.status === 200) return true;
        if (res.status === 404) return false;
        throw unexpected(res.status, loc.registry, ref);
      });
      if (!held || !label) return held;
      const config = await client.imageConfig(ref);
      if (!config) return false; // deleted since the HEAD
      const found = config.labels[label.name];
      if (found !== label.value)
        throw new RegistryLabelMismatchError(ref, label.name, found, label.value);
      return true;
    },

    manifestDigest(ref) {
      const digest = parseImageRef(ref).digest;
      if (digest) return Promise.resolve(digest);
      return within(ref, async (loc, signal) => {
        const call = { path: `manifests/${loc.reference}`, headers: ACCEPT };
        const res = await send(loc, ref, { ...call, method: 'HEAD' }, signal);
        await res.body?.cancel();
        const header = res.headers.get('docker-content-digest');
        if (res.status === 200 && header) return header;
        if (res.status === 404) return undefined;
        // No HEAD, or no digest header (https://distribution.github.io/distribution/spec/api/#digest-header):
        // the sha256 of the manifest bytes.
        if (res.status === 200 || res.status === 405)
          return (await getManifest(loc, ref, signal))?.digest;
        throw unexpected(res.status, loc.registry, ref);
      });
    },

    imageConfig(ref) {
      return within(ref, (loc, signal) =>
        readImageConfig(
          ref,
          (digest) => getManifest(digest ? { ...loc, reference: digest } : loc, ref, signal),
          async (digest) => {
            const res = await send(loc, ref, { method: 'GET', path: `blobs/${digest}` }, signal);
            if (res.status === 404) {
              await res.body?.cancel();
              return undefined;
            }
            if (res.status !== 200) {
              await res.body?.cancel();
              throw unexpected(res.status, loc.registry, ref);
            }
            return new Uint8Array(await res.arrayBuffer());
          },
        ),
      );
    },

    copyTag(fromRef, toTag) {
      return within(fromRef, async (loc, signal) => {
        // One token for both requests: a push scope covers the pull.
        const manifest = await getManifest(loc, fromRef, signal, 'pull,push');
        if (!manifest)
          throw new EngineError(
            `${fromRef} is not in the registry ${loc.registry}, so it cannot be tagged ${toTag} there; build and push it first`,
            'registry',
          );
        const target = `${loc.registry}/${loc.repository}:${toTag}`;
        const res = await send(
          { ...loc, reference: toTag },
          target,
          {
            method: 'PUT',
            path: `manifests/${toTag}`,
            headers: { 'Content-Type': manifest.mediaType },
            body: manifest.bytes,
            access: 'pull,push',
          },
          signal,
        );
        const answer = (await res.text()).trim().slice(0, 300);
        if (res.status >= 500) throw unexpected(res.status, loc.registry, target);
        if (res.status !== 201 && res.status !== 200)
          throw new EngineError(
            `registry ${loc.registry} answered ${res.status} to tagging ${fromRef} as ${toTag}${answer ? ` (${answer})` : ''}; check that the registry allows pushes to ${loc.repository}`,
            'registry',
          );
        return res.headers.get('docker-content-digest') ?? manifest.digest;
      });
    },
  };
  return client;
}

/** The default lookup at the edge: the HTTP client (workflows take a RegistryLookup). */
export function httpRegistryLookup(opts: RegistryOptions = {}): RegistryClient {
  return createRegistryClient(opts);
}

/** Whether the registry holds a manifest for `ref` (see RegistryLookup.hasTag). */
export function registryHasManifest(ref: string, opts: RegistryOptions = {}): Promise<boolean> {
  return createRegistryClient(opts).hasTag(ref);
}
