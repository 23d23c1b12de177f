import { gitOutput } from './git-output';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { deprecationWarnings, requireImage, resolveVariants } from '@imagesmith/core';
import { EngineError, withProgress, type Progress } from '@imagesmith/engine';
import {
  checkMetadataPath,
  forgetMetadata,
  metadataFile,
  writeMetadata,
  type BuildMetadata,
} from './build-metadata';
import { onePlatform, planBuild, type BuildPlan, type Stage } from '../shared/build-plan';
import { buildOutput, cacheRef, digestReference, presentRefs } from './build-registry';
import { requireBaseExists } from './base-exists';
import { BuildTranscript, explainBuildFailure } from './build-failure';
import { buildSecrets } from './build-secrets';
import { writeSnapshot } from '../shared/build-snapshot';
import {
  carriesContent,
  CONTENT_LABEL,
  contentLabel,
  labelMismatch,
} from '../shared/content-label';
import { describeBuild } from './describe-build';
import { contextReader, type Session } from '../shared/engine-context';
import { engineGone } from './engine-gone';
import { isLostBlob, isTagRace } from './engine-races';
import { QUIET } from '../shared/output';
import { registryHoldsForBuild } from '../shared/registry-answer';
import { requireLocked } from '../shared/require-locked';
import { sourceDateEpoch } from './source-date-epoch';

export type { BuildMetadata } from './build-metadata';

export interface BuildOptions {
  stage?: Stage;
  /** Environment variable names whose values are passed as BuildKit secrets of the same id (lowercased). */
  secretEnv?: string[];
  /** Build this one platform of the spec's `platforms` (tags carry it as a suffix). */
  platform?: string;
}

/**
 * Build every variant of an image unless an image for exactly this content already exists,
 * locally or in the registry (checked by its content-hash tag, never assumed from a cache entry).
 * Writes <variant>/.imagesmith/build-<stage>.json only after the image is confirmed.
 */
export async function buildImage(
  s: Session,
  image: string,
  options: BuildOptions = {},
): Promise<BuildMetadata[]> {
  requireImage(s.ws, image);
  requireLocked(s.root, image, s.checked);
  for (const line of deprecationWarnings(s.ws, [image])) s.log(line);
  const stage = options.stage ?? 'production';
  const out: BuildMetadata[] = [];
  const context = contextReader(s.root, s.checked);
  for (const v of resolveVariants(s.ws, image)) {
    const platform = options.platform ? onePlatform(v, options.platform) : undefined;
    const plan = planBuild(s.ws, s.config, v, stage, context, platform);
    out.push(await ensureBuilt(s, plan, options, true));
  }
  return out;
}

async function ensureBuilt(
  s: Session,
  plan: BuildPlan,
  options: BuildOptions,
  named: boolean,
): Promise<BuildMetadata> {
  const v = plan.variant;
  // Parents first, so building one image alone works outside Nx too (cheap when they exist).
  // A parent that exists gets no line: under Nx its own task said so already.
  const parent = plan.parent ? await ensureBuilt(s, plan.parent, options, false) : undefined;
  const tags = [plan.refs.content, plan.refs.pinned, plan.refs.floating];
  const meta = (
    result: BuildMetadata['result'],
    imageId?: string,
    digest?: string,
  ): BuildMetadata => ({
    image: v.image,
    variant: v.name,
    stage: plan.stage,
    reference: plan.refs.content,
    tags,
    contentHash: plan.contentHash,
    imageId,
    ...(digest ? { digest } : {}),
    result,
  });
  const file = metadataFile(s.root, v, plan.stage);
  checkMetadataPath(file); // before any engine work: a build is not thrown away at the end
  const local = await s.engine.inspect(plan.refs.content);
  if (local && carriesContent(local, plan)) {
    // The content already exists: make sure the version tags point at it too (by id: the image
    // whose label was just checked, even if another build moves the content tag meanwhile).
    for (const t of tags.slice(1)) await s.engine.tag(local.id, t);
    return done(s, plan, meta('present-local', local.id), named);
  }
  // A content tag moved by hand (or by a broken tool) is not this content: build it honestly.
  if (local) s.log(`rebuilding ${v.name}: ${labelMismatch(local, plan)}`);
  // 200 with this content's label (read from the copy's config) only: a 404 builds quietly, no
  // answer or another label builds with a line, 401/403 stops (registry-answer.ts). Parents were
  // checked the same way above, so a child is never built FROM a registry copy that is not its parent.
  const held = local
    ? false
    : await registryHoldsForBuild(s, v.name, plan.refs.content, contentLabel(plan));
  if (held) return done(s, plan, meta('present-registry'), named);
  await requireBaseExists(s, plan);
  const sha = gitOutput(s.root, ['rev-parse', 'HEAD']);
  const secrets = buildSecrets(options.secretEnv ?? [], s.config.mirrors);
  const toRegistry = (await buildOutput(s)) === 'registry';
  // Straight from the registry, the child is built FROM the parent's digest: a tag moved between
  // the parent's check and this build cannot change what it is built on.
  const parentByDigest =
    toRegistry && plan.parent && parent
      ? await digestReference(s, plan.parent.refs.content, parent.digest)
      : {};
  // Build caches in the registry: this image's own (mode=max: every stage's layers) and its
  // parent's, then the floating tag's inline cache. Only references the registry holds are passed:
  // an absent one makes BuildKit print an ERROR line for a build that is fine.
  const cacheFrom = await presentRefs(s, held === false, [
    cacheRef(plan),
    ...(plan.parent ? [cacheRef(plan.parent)] : []),
    plan.refs.floating,
  ]);
  // buildah/podman stamp it on the image and its files: same commit, same image id.
  const epoch = sourceDateEpoch(s.root);
  const output = s.output ?? QUIET;
  let transcript = new BuildTranscript();
  // --verbose: the engine's output as it comes, live (past a capture of the task's result lines).
  const show = output.progress?.write ?? ((text: string) => s.log(text.trimEnd()));
  const started = Date.now();
  let digest: string | undefined;
  const build = async (progress?: Progress) => {
    const result = await s.engine.build({
      contextDir: snapshot,
      dockerfile: join(snapshot, 'Dockerfile'),
      source: `${v.outDir}/Dockerfile`,
      target: plan.stage,
      // Straight to the registry the builder pushes only the content tag: the pinned and floating
      // tags move at `push`, which refuses to move a pinned tag to other content.
      tags: toRegistry ? [plan.refs.content] : tags,
      // Inline cache only for images that reach the registry through `push`; a registry build
      // exports a mode=max cache instead (inline cache metadata in the config would also make
      // its digest differ between otherwise identical builds).
      buildArgs: {
        ...plan.buildArgs,
        ...parentByDigest,
        ...(toRegistry ? {} : { BUILDKIT_INLINE_CACHE: '1' }),
      },
      labels: {
        [CONTENT_LABEL]: plan.contentHash,
        ...(sha ? { 'org.opencontainers.image.revision': sha } : {}),
      },
      platforms: plan.platform ? [plan.platform] : v.spec.platforms,
      secrets,
      cacheFrom,
      cacheTo: toRegistry ? cacheRef(plan) : undefined,
      output: toRegistry ? 'registry' : 'engine',
      sourceDateEpoch: epoch,
      onOutput: (line: string) => {
        if (output.verbose) show(`  ${line}\n`);
        transcript.push(line);
        progress?.note(line);
      },
    });
    digest = result.digest;
  };
  forgetMetadata(file);
  // The tag names the bytes the engine gets: build from a snapshot of the hashed context.
  const snapshot = writeSnapshot(plan.context);
  const attempt = async () => {
    if (output.progress && !output.verbose)
      await withProgress({ ...output.progress, label: `${v.name}: building` }, build);
    else await build();
  };
  try {
    try {
      await attempt();
    } catch (error) {
      // moby's containerd image store can lose a layer blob to garbage collection while it
      // exports (another job removed the last image holding it): the build itself was fine.
      if (!isLostBlob(error)) throw error;
      s.log(`rebuilding ${v.name}: the engine lost a layer while storing the image (not found)`);
      transcript = new BuildTranscript();
      await attempt();
    }
  } catch (error) {
    // Two builds of the same content at once (two Nx runs, two CI jobs on one engine): the image
    // store refuses the second one's tags ("already exists"). The content is there: use it.
    const other =
      !toRegistry && isTagRace(error) ? await s.engine.inspect(plan.refs.content) : null;
    if (other && carriesContent(other, plan)) {
      for (const t of tags.slice(1)) await s.engine.tag(other.id, t);
      return done(s, plan, meta('present-local', other.id), named);
    }
    // The failing step's own output and the spec field it came from; the whole log to a file.
    throw await engineGone(
      s,
      v.name,
      explainBuildFailure(s, plan, error, transcript, output.verbose),
    );
  } finally {
    rmSync(snapshot, { recursive: true, force: true });
  }
  if (toRegistry) {
    // Confirm what the registry holds under the content tag now (its config's label).
    const pushed = await s.registry.hasTag(plan.refs.content, contentLabel(plan));
    if (!pushed)
      throw new EngineError(
        `${v.name}: the builder reported a push, but the registry does not hold ${plan.refs.content}; run the build again`,
        s.engine.name,
      );
    const pushedMeta: BuildMetadata = {
      ...meta('built', undefined, digest),
      tags: [plan.refs.content],
      output: 'registry',
    };
    return done(s, plan, pushedMeta, true, Date.now() - started);
  }
  // Confirm what the tag names now: a concurrent build of other content must not be recorded.
  const built = await s.engine.inspect(plan.refs.content);
  if (!built || !carriesContent(built, plan))
    throw new EngineError(
      `${v.name}: after the build, ${built ? labelMismatch(built, plan) : `${plan.refs.content} is missing`} (another build or a cleanup changed it meanwhile); run the build again`,
      s.engine.name,
    );
  return done(s, plan, meta('built', built.id, digest), true, Date.now() - started);
}

/** Records the build and prints its one line. */
function done(
  s: Session,
  plan: BuildPlan,
  meta: BuildMetadata,
  show: boolean,
  tookMs?: number,
): BuildMetadata {
  if (show) s.log(describeBuild(meta, tookMs));
  writeMetadata(metadataFile(s.root, plan.variant, plan.stage), meta);
  return meta;
}
