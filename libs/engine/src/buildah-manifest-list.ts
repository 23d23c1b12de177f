import { randomBytes } from 'node:crypto';
import type { EngineCli } from './cli-engine';
import { EngineError } from './errors';
import { buildahInspectRaw, type Json } from './buildah-inspect';
import { normalizeImageId } from './image-info';
import type { BuildRequest, BuildResult } from './types';

/** What a multi-platform build asks of the buildah engine. */
export interface ManifestListSteps {
  /** Platforms this machine can build (its own and those qemu emulates). */
  platforms(): Promise<string[] | null>;
  /** The single `bud` of every platform, adding each to `list` (`--manifest list`). */
  build(list: string): Promise<BuildResult>;
  /** Called once the build is over, whatever its result (before the private name goes). */
  done(): void;
  tag(source: string, target: string): Promise<void>;
}

/**
 * Several platforms build into a fresh, privately named manifest list (`bud --manifest` adds to
 * a list that exists, so a list left by an earlier build of the same tag would keep its images);
 * only a complete build moves the tags onto it, so a failed one leaves no tag naming half a list.
 */
export async function buildManifestList(
  cli: EngineCli,
  req: BuildRequest,
  platforms: readonly string[],
  steps: ManifestListSteps,
): Promise<BuildResult> {
  if (req.tags.length === 0)
    throw new EngineError(
      'a multi-platform buildah build needs a tag to name its manifest list',
      cli.name,
    );
  const can = (await steps.platforms()) ?? [];
  const missing = platforms.filter((p) => !can.includes(p));
  if (missing.length > 0)
    throw new EngineError(
      `buildah cannot build ${missing.join(', ')}: this machine runs ${can.join(', ')}. What to do: register qemu for it (\`bash .ci/setup-engine.sh\` registers linux/arm64 with binfmt_misc), or build one platform with \`build --platform ${can[0]}\``,
      cli.name,
    );
  const list = `localhost/imagesmith-build-list:${randomBytes(6).toString('hex')}`;
  try {
    const result = await steps.build(list);
    const id = await buildahListId(cli, list);
    if (!id)
      throw new EngineError(
        `buildah built ${req.dockerfile} for ${platforms.join(', ')} but left no manifest list ${list}: check \`buildah manifest inspect ${list}\` and the buildah version (>= 1.28)`,
        cli.name,
      );
    for (const t of req.tags) await steps.tag(list, t);
    return { ...result, imageId: id };
  } finally {
    steps.done();
    // Untags the private name only: the list keeps req.tags (after a failure it goes entirely).
    // `rmi` cannot: it looks the name up as the instance of this platform ("tag not known").
    await cli.call(['manifest', 'rm', list]);
  }
}

/**
 * The storage id of the manifest list `ref` names; undefined when it names an image. `buildah
 * inspect` (and `buildah images REF`) of a list describe the instance of this machine's platform;
 * `buildah images --filter reference=REF` lists the list itself: their ids differ only for a
 * list. Local only (no registry is asked, unlike `buildah manifest inspect`). `raw`: REF's
 * `buildah inspect`, when the caller has it.
 */
export async function buildahListId(
  cli: EngineCli,
  ref: string,
  raw?: Json | null,
): Promise<string | undefined> {
  const listed = await cli.call(['images', '--json', '--no-trunc', '--filter', `reference=${ref}`]);
  if (listed.exitCode !== 0) return undefined;
  const entries = JSON.parse(listed.stdout || '[]') as Json[];
  const entry = entries.find((e) => Array.isArray(e.names) && e.names.includes(ref));
  const id = typeof entry?.id === 'string' ? normalizeImageId(entry.id) : undefined;
  const instance = (raw ?? (await buildahInspectRaw(cli, ref)))?.FromImageID;
  return id && id !== normalizeImageId(String(instance ?? '')) ? id : undefined;
}
