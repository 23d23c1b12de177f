import { parseImageRef } from './parse-image-ref';
import type { ImageInfo } from './types';

/** `sha256:<hex>` whether the engine printed the prefix or not. */
export function normalizeImageId(id: string): string {
  const trimmed = id.trim();
  return trimmed.includes(':') ? trimmed : `sha256:${trimmed}`;
}

/** ["K=V", ...] -> {K: V} */
export function envList(list: unknown): Record<string, string> {
  const env: Record<string, string> = {};
  if (!Array.isArray(list)) return env;
  for (const item of list) {
    if (typeof item !== 'string') continue;
    const eq = item.indexOf('=');
    if (eq > 0) env[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return env;
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The repo digest for `ref`'s repository when there is one, else the first one. */
export function pickDigest(repoDigests: readonly string[], ref: string): string | undefined {
  let wanted: string | undefined;
  try {
    const parsed = parseImageRef(ref);
    if (parsed.digest) return parsed.digest;
    wanted = parsed.registry ? `${parsed.registry}/${parsed.repository}` : parsed.repository;
  } catch {
    wanted = undefined;
  }
  const match = repoDigests.find((d) => d.slice(0, d.indexOf('@')) === wanted) ?? repoDigests[0];
  return match?.slice(match.indexOf('@') + 1) || undefined;
}

/** One element of `docker image inspect` / `podman image inspect` output. */
export function imageInfoFromDockerInspect(raw: Record<string, unknown>, ref: string): ImageInfo {
  const config = (raw.Config ?? {}) as Record<string, unknown>;
  const repoDigests = strings(raw.RepoDigests);
  const info: ImageInfo = {
    id: normalizeImageId(String(raw.Id ?? '')),
    sizeBytes: typeof raw.Size === 'number' ? raw.Size : 0,
    user: typeof config.User === 'string' ? config.User : '',
    env: envList(config.Env),
    labels: stringRecord(config.Labels),
    repoTags: strings(raw.RepoTags),
    repoDigests,
  };
  const digest =
    pickDigest(repoDigests, ref) ?? (typeof raw.Digest === 'string' ? raw.Digest : undefined);
  if (digest) info.digest = digest;
  return info;
}

/** "176 MB" (go-units, decimal) -> bytes; 0 when it cannot be read. */
export function parseHumanSize(text: string): number {
  const m = /^([\d.]+)\s*([kKMGTP]?i?B)?$/.exec(text.trim());
  if (!m) return 0;
  const units: Record<string, number> = {
    B: 1,
    kB: 1e3,
    KB: 1e3,
    MB: 1e6,
    GB: 1e9,
    TB: 1e12,
    PB: 1e15,
    KiB: 1024,
    MiB: 1024 ** 2,
    GiB: 1024 ** 3,
    TiB: 1024 ** 4,
  };
  return Math.round(Number(m[1]) * (units[m[2] ?? 'B'] ?? 1));
}
