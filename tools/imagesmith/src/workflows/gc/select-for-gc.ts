/** A tag of a repository: the manifest it names and, for content tags, when the image was made. */
export interface TagInfo {
  tag: string;
  digest: string;
  /** The image config's `created` (RFC 3339); content tags only. */
  created?: string;
}

/** What gc does to one repository. */
export interface GcSelection {
  /** Content tags that stay, each with why. */
  keep: { tag: TagInfo; why: string }[];
  /** Content tags that go (newest first). */
  remove: TagInfo[];
  /** The manifests to delete: those of `remove` and their cosign attachments (`sha256-<hex>.sig`...). */
  digests: string[];
}

/** The tags build writes for a content hash: `ch-<hash>[-<arch>][-dev]`. */
export const isContentTag = (tag: string) => tag.startsWith('ch-');

/** Milliseconds of `created`; an image without a readable one sorts as the oldest. */
function time(t: TagInfo): number {
  const ms = Date.parse(t.created ?? '');
  return Number.isNaN(ms) ? -Infinity : ms;
}

/** cosign's tags for what is attached to a digest: signatures, attestations, SBOMs. */
const ATTACHMENT = /^sha256-([0-9a-f]{64})\.(sig|att|sbom)$/;

/**
 * Which content (`ch-`) tags of one repository gc deletes. Pure.
 *
 * - Any other tag (pinned `<version>-r<revision>`, floating `<version>`, `buildcache`, a hand-made
 *   one) protects the manifest it names: a content tag naming that digest stays.
 * - Of the rest, the newest `keepNewest` content tags stay: newest by the image config's `created`
 *   time, then by tag name (an image without one counts as oldest).
 * - `current` (the content tags the specs describe now) stay too, even when older.
 * - The registry deletes by digest, which removes every tag naming it: a digest goes only when no
 *   tag that stays names it. cosign attachments of a deleted digest go with it.
 */
export function selectForGc(
  tags: readonly TagInfo[],
  keepNewest: number,
  current: ReadonlySet<string> = new Set(),
): GcSelection {
  const content = tags
    .filter((t) => isContentTag(t.tag))
    .sort(
      (a, b) =>
        time(b) - time(a) ||
        (b.created ?? '').localeCompare(a.created ?? '') ||
        b.tag.localeCompare(a.tag),
    );
  const referenced = new Map<string, string>();
  for (const t of tags)
    if (!isContentTag(t.tag) && !ATTACHMENT.test(t.tag) && !referenced.has(t.digest))
      referenced.set(t.digest, t.tag);
  const keep: GcSelection['keep'] = [];
  let remove: TagInfo[] = [];
  let newest = 0;
  for (const t of content) {
    const by = referenced.get(t.digest);
    if (by) keep.push({ tag: t, why: `names the same image as ${by}` });
    else if (newest < keepNewest) {
      newest += 1;
      keep.push({ tag: t, why: `among the newest ${keepNewest}` });
    } else if (current.has(t.tag)) keep.push({ tag: t, why: "the specs' current content" });
    else remove.push(t);
  }
  // A digest a kept tag names cannot go: its other content tags stay with it.
  const kept = new Map(keep.map((k) => [k.tag.digest, k.tag.tag]));
  remove = remove.filter((t) => {
    const other = kept.get(t.digest);
    if (other) keep.push({ tag: t, why: `names the same image as ${other}` });
    return !other;
  });
  const gone = new Set(remove.map((t) => t.digest));
  const attachments = tags.filter((t) => {
    const hex = ATTACHMENT.exec(t.tag)?.[1];
    return hex !== undefined && gone.has(`sha256:${hex}`) && !kept.has(t.digest);
  });
  return {
    keep,
    remove,
    digests: [...new Set([...remove.map((t) => t.digest), ...attachments.map((t) => t.digest)])],
  };
}
