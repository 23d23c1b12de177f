/**
 * What the multi-platform e2e test needs besides an engine and the registry: qemu registered for
 * linux/arm64 with binfmt_misc (flag F), and the stand-in base as a manifest list holding
 * linux/amd64 and linux/arm64 (bash .ci/make-base-images.sh). Locally a missing piece skips with
 * the reason; in CI (CI=true) it fails.
 */
import { readFileSync } from 'node:fs';
import { REGISTRY } from './engine-env';

const SETUP =
  'run `bash .ci/setup-engine.sh && bash .ci/make-base-images.sh` (as root) first: the first registers qemu-aarch64, the second makes the stand-in base a linux/amd64 + linux/arm64 manifest list';

/** Accept headers for a manifest list (OCI index, Docker manifest list) or a single manifest. */
export const INDEX_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface RegistryManifest {
  mediaType?: string;
  manifests?: { digest: string; platform?: { os?: string; architecture?: string } }[];
}

/** The manifest (list) the registry answers for `ref` (`host:port/repo:tag`), parsed. */
export async function registryManifest(ref: string): Promise<RegistryManifest> {
  const at = ref.indexOf('/');
  const colon = ref.lastIndexOf(':');
  const res = await fetch(
    `http://${ref.slice(0, at)}/v2/${ref.slice(at + 1, colon)}/manifests/${ref.slice(colon + 1)}`,
    { headers: { Accept: INDEX_ACCEPT }, signal: AbortSignal.timeout(10_000) },
  );
  if (res.status !== 200) throw new Error(`GET manifest ${ref}: ${res.status}`);
  const body = (await res.json()) as RegistryManifest;
  return { ...body, mediaType: body.mediaType ?? res.headers.get('content-type') ?? undefined };
}

/** `os/arch` of every platform manifest in a list (attestation entries, `unknown/unknown`, left out). */
export function listPlatforms(m: RegistryManifest): string[] {
  return (m.manifests ?? [])
    .map((d) => `${d.platform?.os ?? 'unknown'}/${d.platform?.architecture ?? 'unknown'}`)
    .filter((p) => !p.includes('unknown'))
    .sort();
}

/** Whether binfmt_misc runs `entry` (qemu-aarch64) through qemu, with the F flag. */
export function qemuRegistered(entry: string): boolean {
  try {
    const text = readFileSync(`/proc/sys/fs/binfmt_misc/${entry}`, 'utf8');
    return /^enabled$/m.test(text) && /^flags:.*F/m.test(text);
  } catch {
    return false;
  }
}

/** Why the multi-platform test cannot run here ('' when it can); throws instead in CI. */
export async function multiPlatformMissing(): Promise<string> {
  let why = '';
  if (!qemuRegistered('qemu-aarch64'))
    why = 'qemu-aarch64 is not registered with binfmt_misc (flag F): linux/arm64 cannot run here';
  else {
    const base = `${REGISTRY}/library/python:3.11-slim-bookworm`;
    const platforms = await registryManifest(base)
      .then(listPlatforms)
      .catch((): string[] => []);
    if (!platforms.includes('linux/arm64'))
      why = `${base} is not a manifest list with linux/arm64 (it has ${platforms.join(', ') || 'one platform'})`;
  }
  if (why && /^(1|true|yes)$/i.test(process.env.CI ?? ''))
    throw new Error(`CI=true and ${why} (nothing may skip in CI); ${SETUP}.`);
  return why ? `${why} (${SETUP})` : '';
}
