import { envList, normalizeImageId, parseHumanSize } from './image-info';
import type { ImageInfo } from './types';

type Json = Record<string, unknown>;

/**
 * ImageInfo from `buildah inspect --type image` (raw) and the image's `buildah images --json`
 * entry (names, human-readable size).
 */
export function imageInfoFromBuildah(raw: Json, listed: Json): ImageInfo {
  const config = (((raw.OCIv1 ?? {}) as Json).config ?? {}) as Json;
  const names = Array.isArray(listed.names) ? (listed.names as string[]) : [];
  const digest =
    typeof raw.FromImageDigest === 'string' && raw.FromImageDigest
      ? raw.FromImageDigest
      : undefined;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries((config.Labels ?? {}) as Json)) {
    if (typeof v === 'string') labels[k] = v;
  }
  const info: ImageInfo = {
    id: normalizeImageId(String(raw.FromImageID ?? '')),
    sizeBytes:
      typeof listed.size === 'string' ? parseHumanSize(listed.size) : Number(listed.size ?? 0),
    user: typeof config.User === 'string' ? config.User : '',
    env: envList(config.Env),
    labels,
    repoTags: names,
    repoDigests: digest ? names.map((n) => `${n.replace(/:[^:/]+$/, '')}@${digest}`) : [],
  };
  if (digest) info.digest = digest;
  return info;
}

/** created_by of each OCI history entry, newest first (like `docker history`). */
export function historyFromBuildah(raw: Json): string[] {
  const history = (((raw.OCIv1 ?? {}) as Json).history ?? []) as Json[];
  return history.map((h) => (typeof h.created_by === 'string' ? h.created_by : '')).reverse();
}
