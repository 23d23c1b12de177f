import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BASE_DIGESTS_FILE,
  loadWorkspace,
  mirrorReference,
  readWorkspaceConfig,
  renderBaseDigests,
  resolveVariants,
  writeFileAtomic,
  type BaseDigests,
  type Workspace,
} from '@imagesmith/core';
import { diskReader } from '../../shared/builtin-assets';
import {
  engineCredentials,
  registryTimeoutMs,
  resolveManifestDigest,
  type DigestAnswer,
  type EngineName,
} from '@imagesmith/engine';
import { generate } from '../generate/generate';
import { countOutcomes, renderOutcomeMarkdown, type Outcome } from '../shared/outcome-table';

/** Asks the registry (or the mirror) for one reference's digest; the HTTP lookup by default. */
export type DigestResolver = (ref: string) => Promise<DigestAnswer>;

/**
 * The default resolver: the registry client with the engine's own login (a private mirror answers
 * 401 to anonymous requests) and IMAGESMITH_REGISTRY_TIMEOUT. pin-bases runs no engine, so the
 * configured one decides where logins are read; with none configured, buildah/podman's order,
 * which ends with docker's config.json, so a login of any engine is found.
 */
export function registryDigests(
  engine: string | undefined,
  env: NodeJS.ProcessEnv,
): DigestResolver {
  const name = (engine ?? 'podman') as EngineName;
  const opts = { timeoutMs: registryTimeoutMs(env), credentials: engineCredentials(name, env) };
  return (ref) => resolveManifestDigest(ref, opts);
}

export interface BaseChange {
  tag: string;
  before?: string;
  after: string;
  /** The images whose variants build FROM this tag. */
  images: string[];
}

export interface PinBasesResult {
  /** Tags whose digest is new or changed, sorted. */
  changed: BaseChange[];
  unchanged: number;
  /** Generated files rewritten because a digest changed. */
  written: string[];
  /** One row per base tag asked about (done / unchanged / skipped / failed), sorted by tag. */
  outcomes: Outcome[];
  /** Named images built FROM a catalogue parent: they have no external base of their own. */
  noExternalBase: string[];
}

/** External base tag -> the images built on it (sorted). Pure. */
export function externalBases(ws: Workspace): Map<string, string[]> {
  const bases = new Map<string, Set<string>>();
  for (const image of [...ws.specs.keys()].sort())
    for (const v of resolveVariants(ws, image)) {
      if (v.from.kind !== 'external') continue;
      // A spec that names a digest itself pins its base already: nothing to record.
      const tag = v.spec.base ?? v.profile.bases[v.python] ?? '';
      if (!tag || tag.includes('@')) continue;
      bases.set(tag, (bases.get(tag) ?? new Set()).add(image));
    }
  return new Map([...bases].sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, s]) => [t, [...s]]));
}

/**
 * Whether a registry's "no digest" answer is a skip or a failure. Skipped: the registry (or the
 * mirror) could not be reached, or the mirror does not carry the tag (a mirror serves a subset:
 * Docker Hub's daskdev/dask is not in a local one). Failed: the origin registry answered that the
 * tag does not exist, refused the login, or answered an error, which the spec's owner must fix.
 * Pure; reads resolveManifestDigest's problem text.
 */
export function classifyBaseProblem(
  problem: string,
  mirror: string | undefined,
): 'skipped' | 'failed' {
  if (/ could not be reached /.test(problem)) return 'skipped';
  if (mirror && / has no /.test(problem)) return 'skipped';
  return 'failed';
}

/**
 * Resolve the external base tags of the selected images (all by default) to their digests through
 * the registry (or the configured mirror, which serves the same tag under its own name) and record
 * tag -> digest in base-digests.json, then regenerate what it feeds. A tag that cannot be resolved
 * keeps its recorded digest and is reported (skipped or failed, classifyBaseProblem); the others
 * are written, and the result names every one, so no image is left on an old base silently.
 */
export async function pinBases(
  root: string,
  options: { images?: readonly string[]; resolve?: DigestResolver; env?: NodeJS.ProcessEnv } = {},
): Promise<PinBasesResult> {
  const env = options.env ?? process.env;
  const ws = loadWorkspace(root, diskReader(root));
  const config = readWorkspaceConfig(root, env);
  const mirror = config.mirrors.registry;
  const digestOf = options.resolve ?? registryDigests(config.engine, env);
  const all = externalBases(ws);
  const selected = options.images ? new Set(options.images) : undefined;
  const bases = new Map(
    [...all]
      .map(([tag, images]) => [tag, images.filter((i) => !selected || selected.has(i))] as const)
      .filter(([, images]) => images.length > 0),
  );
  const noExternalBase = (options.images ?? []).filter(
    (i) => ![...bases.values()].some((images) => images.includes(i)),
  );
  const before: BaseDigests = ws.baseDigests ?? {};
  const answers = await Promise.all(
    [...bases.keys()].map(
      async (tag) => [tag, await digestOf(mirrorReference(tag, mirror))] as const,
    ),
  );
  // Tags no image uses any more are dropped; unresolved and unselected ones keep their digest.
  const after: Record<string, string> = Object.fromEntries(
    Object.entries(before).filter(([tag]) => all.has(tag)),
  );
  const outcomes: Outcome[] = [];
  const changed: BaseChange[] = [];
  for (const [tag, answer] of answers) {
    const images = bases.get(tag)!;
    const on = `used by ${images.join(', ')}`;
    if ('digest' in answer) {
      after[tag] = answer.digest;
      if (before[tag] === answer.digest)
        outcomes.push({ name: tag, state: 'unchanged', detail: on });
      else {
        changed.push({ tag, before: before[tag], after: answer.digest, images });
        outcomes.push({
          name: tag,
          state: 'done',
          detail: `${answer.digest.slice(0, 19)}… (${on})`,
        });
      }
    } else {
      const via = mirror ? ` (through the mirror ${mirror})` : '';
      const kept = before[tag] ? 'recorded digest kept' : 'stays unpinned';
      outcomes.push({
        name: tag,
        state: classifyBaseProblem(answer.problem, mirror),
        detail: `${answer.problem}${via}; ${kept} (${on})`,
      });
    }
  }
  const text = renderBaseDigests(after);
  const file = join(root, BASE_DIGESTS_FILE);
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileAtomic(file, text);
  const written = changed.length > 0 ? generate(root).written : [];
  return {
    changed,
    unchanged: outcomes.filter((o) => o.state === 'unchanged').length,
    written,
    outcomes,
    noExternalBase,
  };
}

/** The summary lines for the refresh pull request. Pure. */
export function describeBaseChanges(result: PinBasesResult): string[] {
  const notDone = result.outcomes.filter((o) => o.state === 'skipped' || o.state === 'failed');
  const lines =
    result.changed.length === 0
      ? [
          notDone.length === 0
            ? `Base images: all ${result.unchanged} digests unchanged.`
            : `Base images: no new digest (${result.unchanged} unchanged).`,
        ]
      : [
          'Base images with a new digest (these images and their children rebuild):',
          ...result.changed.map(
            (c) =>
              `- \`${c.tag}\`: ${c.before ?? '(unpinned)'} -> ${c.after} (${c.images.join(', ')})`,
          ),
        ];
  if (notDone.length > 0)
    lines.push('', 'Not pinned:', '', renderOutcomeMarkdown('base tag', notDone));
  lines.push('', `Base tags: ${countOutcomes(result.outcomes)}.`);
  return lines;
}
