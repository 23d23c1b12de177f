import { join } from 'node:path';
import {
  BASE_DIGESTS_FILE,
  ImagesmithError,
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
 * Resolve every external base tag of the catalogue to its digest through the registry (or the
 * configured mirror, which serves the same tag under its own name) and record tag -> digest in
 * base-digests.json, then regenerate what it feeds. Nothing is written unless every tag resolved:
 * a half-updated file would pin some images to new bases and silently leave others.
 */
export async function pinBases(
  root: string,
  resolve?: DigestResolver,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PinBasesResult> {
  const ws = loadWorkspace(root, diskReader(root));
  const config = readWorkspaceConfig(root, env);
  const mirror = config.mirrors.registry;
  const digestOf = resolve ?? registryDigests(config.engine, env);
  const bases = externalBases(ws);
  const before: BaseDigests = ws.baseDigests ?? {};
  const after: Record<string, string> = {};
  const problems: string[] = [];
  const answers = await Promise.all(
    [...bases.keys()].map(
      async (tag) => [tag, await digestOf(mirrorReference(tag, mirror))] as const,
    ),
  );
  for (const [tag, answer] of answers) {
    if ('digest' in answer) after[tag] = answer.digest;
    else
      problems.push(
        `base ${tag} (used by ${bases.get(tag)!.join(', ')}): ${answer.problem}${mirror ? ` (through the mirror ${mirror})` : ''}`,
      );
  }
  if (problems.length > 0)
    throw new ImagesmithError(
      `cannot pin ${problems.length} base image tag${problems.length === 1 ? '' : 's'}; ${BASE_DIGESTS_FILE} is unchanged:\n` +
        problems.map((p) => `  ${p}`).join('\n'),
      {
        hint: 'check the base tag in the image.yaml (or its profile) and that the registry, or IMAGESMITH_REGISTRY_MIRROR / mirrors.registry, serves it',
      },
    );
  const changed = [...bases.keys()]
    .filter((tag) => before[tag] !== after[tag])
    .map((tag) => ({ tag, before: before[tag], after: after[tag]!, images: bases.get(tag)! }));
  writeFileAtomic(join(root, BASE_DIGESTS_FILE), renderBaseDigests(after));
  const written = changed.length > 0 ? generate(root).written : [];
  return { changed, unchanged: bases.size - changed.length, written };
}

/** The summary lines for the refresh pull request. Pure. */
export function describeBaseChanges(result: PinBasesResult): string[] {
  if (result.changed.length === 0)
    return [`Base images: all ${result.unchanged} digests unchanged.`];
  return [
    'Base images with a new digest (these images and their children rebuild):',
    ...result.changed.map(
      (c) => `- \`${c.tag}\`: ${c.before ?? '(unpinned)'} -> ${c.after} (${c.images.join(', ')})`,
    ),
  ];
}
