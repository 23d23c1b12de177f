/**
 * What a registry holds for an image, read with plain HTTP like `crane manifest` / `crane blob`
 * (no engine involved): the manifest digest a tag names, the manifest, the config, each layer's
 * files; and, for two images that should be the same, where they differ.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';

const MANIFESTS = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface Manifest {
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

/** One file of a layer: its metadata and the sha256 of its content. */
export interface LayerFile {
  type: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  link: string;
  sha256: string;
}

function split(ref: string): { base: string; tag: string } {
  const slash = ref.indexOf('/');
  const colon = ref.lastIndexOf(':');
  return {
    base: `http://${ref.slice(0, slash)}/v2/${ref.slice(slash + 1, colon)}`,
    tag: ref.slice(colon + 1),
  };
}

/** The manifest digest the registry's tag names (HEAD, `Docker-Content-Digest`), or undefined. */
export async function manifestDigest(ref: string): Promise<string | undefined> {
  const { base, tag } = split(ref);
  const res = await fetch(`${base}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { Accept: MANIFESTS },
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`HEAD ${base}/manifests/${tag}: ${res.status}`);
  return res.headers.get('docker-content-digest') ?? undefined;
}

interface IndexEntry extends Descriptor {
  platform?: { os?: string; architecture?: string };
}

async function fetchManifestJson(ref: string, reference: string): Promise<Record<string, unknown>> {
  const { base } = split(ref);
  const res = await fetch(`${base}/manifests/${reference}`, {
    headers: { Accept: MANIFESTS },
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`GET ${base}/manifests/${reference}: ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

/**
 * The linux/amd64 image manifest a tag names: itself, or the one its index lists. An index that
 * BuildKit's attestations (issue 12: provenance) made also lists attestation manifests; those
 * record when the build ran, so only the image manifest (their subject) can be reproducible.
 */
export async function imageManifestDigest(ref: string): Promise<string | undefined> {
  const digest = await manifestDigest(ref);
  if (!digest) return undefined;
  const doc = await fetchManifestJson(ref, digest);
  const entries = doc.manifests as IndexEntry[] | undefined;
  if (!entries) return digest;
  return entries.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64')
    ?.digest;
}

/** The image manifest of a tag (through its index, as imageManifestDigest picks it). */
export async function getManifest(ref: string): Promise<Manifest> {
  const digest = await imageManifestDigest(ref);
  if (!digest) throw new Error(`${ref}: no linux/amd64 image manifest in the registry`);
  return (await fetchManifestJson(ref, digest)) as unknown as Manifest;
}

export async function getBlob(ref: string, digest: string): Promise<Buffer> {
  const { base } = split(ref);
  const res = await fetch(`${base}/blobs/${digest}`, { signal: AbortSignal.timeout(120_000) });
  if (!res.ok) throw new Error(`GET ${base}/blobs/${digest}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

export async function getConfig(ref: string): Promise<Record<string, unknown>> {
  const m = await getManifest(ref);
  return JSON.parse((await getBlob(ref, m.config.digest)).toString('utf8')) as Record<
    string,
    unknown
  >;
}

type TarEntry = Omit<LayerFile, 'sha256'> & { name: string; body: Buffer };

/** Each entry of a (gzip) tar layer, in order; PAX and GNU long names understood. */
function* tarEntries(blob: Buffer): Generator<TarEntry> {
  const tar = blob[0] === 0x1f && blob[1] === 0x8b ? gunzipSync(blob) : blob;
  const str = (b: Buffer) => b.toString('utf8').replace(/\0.*$/s, '');
  const num = (b: Buffer) => Number.parseInt(str(b).trim() || '0', 8);
  let pax: Record<string, string> = {};
  let longName = '';
  for (let off = 0; off + 512 <= tar.length;) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const size = num(h.subarray(124, 136));
    const type = String.fromCharCode(h[156] || 0x30);
    const body = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      for (const rec of body.toString('utf8').split('\n').filter(Boolean)) {
        const kv = rec.slice(rec.indexOf(' ') + 1);
        pax[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
      }
      continue;
    }
    if (type === 'L') {
      longName = str(body);
      continue;
    }
    const prefix = str(h.subarray(345, 500));
    const short = str(h.subarray(0, 100));
    const name = pax.path ?? (longName || (prefix ? `${prefix}/${short}` : short));
    yield {
      name: name.replace(/^\.\//, ''),
      type,
      mode: num(h.subarray(100, 108)),
      uid: num(h.subarray(108, 116)),
      gid: num(h.subarray(116, 124)),
      mtime: pax.mtime ? Number(pax.mtime) : num(h.subarray(136, 148)),
      link: pax.linkpath ?? str(h.subarray(157, 257)),
      body,
    };
    pax = {};
    longName = '';
  }
}

/** The files of a layer by path, each with the sha256 of its content. */
export function layerFiles(blob: Buffer): Map<string, LayerFile> {
  const files = new Map<string, LayerFile>();
  for (const { name, body, ...meta } of tarEntries(blob))
    files.set(name, { ...meta, sha256: createHash('sha256').update(body).digest('hex') });
  return files;
}

/** A file's content as the image has it (the topmost layer that has the path), or undefined. */
export async function imageFile(ref: string, path: string): Promise<string | undefined> {
  const m = await getManifest(ref);
  const wanted = path.replace(/^\//, '');
  for (const layer of [...m.layers].reverse())
    for (const e of tarEntries(await getBlob(ref, layer.digest)))
      if (e.name === wanted) return e.body.toString('utf8');
  return undefined;
}

/** The top-level (and `config.*`) keys whose values differ between two image configs. */
function configDifferences(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (x: unknown, y: unknown, path: string, depth: number) => {
    if (JSON.stringify(x) === JSON.stringify(y)) return;
    if (depth < 3 && x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x))
      for (const k of [...new Set([...Object.keys(x), ...Object.keys(y as object)])].sort())
        walk(
          (x as Record<string, unknown>)[k],
          (y as Record<string, unknown>)[k],
          k.includes('.') ? `${path}["${k}"]` : `${path}.${k}`,
          depth + 1,
        );
    else out.push(`config${path} differs`);
  };
  walk(a, b, '', 0);
  return out;
}

/**
 * Why two pushed images that should be identical are not, in lines: config keys that differ, and
 * for each differing layer the files whose content or metadata differ.
 */
export async function explainDifference(refA: string, refB: string): Promise<string[]> {
  const [ma, mb] = await Promise.all([getManifest(refA), getManifest(refB)]);
  const out: string[] = [];
  if (ma.config.digest !== mb.config.digest)
    out.push(...configDifferences(await getConfig(refA), await getConfig(refB)));
  if (ma.layers.length !== mb.layers.length)
    out.push(`layer count ${ma.layers.length} != ${mb.layers.length}`);
  for (let i = 0; i < Math.min(ma.layers.length, mb.layers.length); i++) {
    const [la, lb] = [ma.layers[i]!, mb.layers[i]!];
    if (la.digest === lb.digest) continue;
    const [fa, fb] = [
      layerFiles(await getBlob(refA, la.digest)),
      layerFiles(await getBlob(refB, lb.digest)),
    ];
    const files = [...new Set([...fa.keys(), ...fb.keys()])].sort();
    const differing = files.filter((f) => JSON.stringify(fa.get(f)) !== JSON.stringify(fb.get(f)));
    out.push(
      `layer ${i} (${la.digest} != ${lb.digest}): ${differing.length} of ${files.length} files differ` +
        (differing.length
          ? `: ${differing.slice(0, 20).join(', ')}`
          : ' (same files: the tar or its compression differs)'),
    );
  }
  return out;
}
