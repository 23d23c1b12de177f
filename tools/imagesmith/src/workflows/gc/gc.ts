import { plural } from '@imagesmith/core';
import {
  deleteManifest,
  listTags,
  registryTimeoutMs,
  repositoryName,
  type RegistryClient,
} from '@imagesmith/engine';
import { workspaceRegistry, type RegistryWork } from '../promote/workspace-plans';
import { selectForGc, isContentTag, type TagInfo } from './select-for-gc';

/** The registry operations gc uses; tests pass fakes (and see that a dry run deletes nothing). */
export interface GcRegistry {
  listTags(repository: string): Promise<string[]>;
  manifestDigest: RegistryClient['manifestDigest'];
  imageConfig: RegistryClient['imageConfig'];
  /** DELETE by digest; false when it was already gone. */
  deleteManifest(ref: string): Promise<boolean>;
}

export interface GcOptions {
  keep: number;
  /** false: print what would go (the default); true: delete it. */
  delete: boolean;
}

/** gc's registry at the edge: the HTTP client with the engine's logins. */
export function gcRegistry(work: RegistryWork, env = process.env): GcRegistry {
  const client = workspaceRegistry(work.config, env);
  const opts = { timeoutMs: registryTimeoutMs(env) };
  return {
    listTags: (repository) => listTags(repository, opts),
    manifestDigest: (ref) => client.manifestDigest(ref),
    imageConfig: (ref) => client.imageConfig(ref),
    deleteManifest: (ref) => deleteManifest(ref, opts),
  };
}

/**
 * Deletes (or, without `delete`, lists) the content tags of the image's repositories that no
 * other tag names, beyond the newest `keep` (see selectForGc). Build's registry cache is one
 * `buildcache` tag per repository, rewritten by every registry build: not a content tag, so it
 * stays. Returns how many content tags went (or would go).
 */
export async function gcImage(
  work: RegistryWork,
  options: GcOptions,
  registry: GcRegistry,
  log: (line: string) => void,
): Promise<number> {
  let total = 0;
  const repositories = new Map<string, Set<string>>();
  for (const p of work.plans) {
    const repo = repositoryName(p.refs.content);
    if (!repositories.has(repo)) repositories.set(repo, new Set());
    repositories.get(repo)!.add(p.contentTag);
  }
  for (const [repo, current] of repositories) {
    const infos: TagInfo[] = [];
    for (const tag of (await registry.listTags(repo)).sort()) {
      const ref = `${repo}:${tag}`;
      const digest = await registry.manifestDigest(ref);
      if (!digest) continue; // deleted since the listing
      const created = isContentTag(tag) ? (await registry.imageConfig(ref))?.created : undefined;
      infos.push({ tag, digest, ...(created ? { created } : {}) });
    }
    const s = selectForGc(infos, options.keep, current);
    const count = s.keep.length + s.remove.length;
    const verb = options.delete ? 'deleting' : 'would delete';
    log(
      `${repo}: ${plural(count, 'content tag')}, keeping ${s.keep.length}, ${verb} ${s.remove.length}${
        s.remove.length > 0 && !options.delete ? ' (run again with --delete to delete them)' : ''
      }`,
    );
    for (const k of s.keep) log(`  keep ${k.tag.tag} (${k.why})`);
    for (const t of s.remove)
      log(`  ${verb} ${t.tag} ${t.digest}${t.created ? ` (created ${t.created})` : ''}`);
    total += s.remove.length;
    if (!options.delete) continue;
    let deleted = 0;
    for (const digest of s.digests)
      if (await registry.deleteManifest(`${repo}@${digest}`)) deleted += 1;
    log(`${repo}: deleted ${plural(deleted, 'manifest')} (content tags and their signatures)`);
  }
  return total;
}
