import { gitOutput } from './git-output';
import { existsSync } from 'node:fs';
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
import { planBuild, type BuildPlan, type Stage } from './build-plan';
import { carriesContent, CONTENT_LABEL, contentLabel, labelMismatch } from './content-label';
import { describeBuild } from './describe-build';
import { contextReader, type Session } from './engine-context';
import { QUIET } from './output';
import { registryHoldsForBuild } from './registry-answer';
import { requireLocked } from './require-locked';
import { sourceDateEpoch } from './source-date-epoch';

export type { BuildMetadata } from './build-metadata';

export interface BuildOptions {
  stage?: Stage;
  /** Environment variable names whose values are passed as BuildKit secrets of the same id (lowercased). */
  secretEnv?: string[];
}

function gitSha(root: string): string | undefined {
  return gitOutput(root, ['rev-parse', 'HEAD']);
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
  requireLocked(s.root, image);
  for (const line of deprecationWarnings(s.ws, [image])) s.log(line);
  const stage = options.stage ?? 'production';
  const out: BuildMetadata[] = [];
  const context = contextReader(s.root);
  for (const v of resolveVariants(s.ws, image)) {
    const plan = planBuild(s.ws, s.config, v, stage, context);
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
  if (plan.parent) await ensureBuilt(s, plan.parent, options, false);
  const tags = [plan.refs.content, plan.refs.pinned, plan.refs.floating];
  const meta = (result: BuildMetadata['result'], imageId?: string): BuildMetadata => ({
    image: v.image,
    variant: v.name,
    stage: plan.stage,
    reference: plan.refs.content,
    tags,
    contentHash: plan.contentHash,
    imageId,
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
  const sha = gitSha(s.root);
  const secrets: { id: string; env?: string; src?: string }[] = (options.secretEnv ?? [])
    .filter((name) => process.env[name] !== undefined)
    .map((name) => ({ id: name.toLowerCase(), env: name }));
  // pip reads index credentials from ~/.netrc; the file is mounted only while pip runs.
  if (process.env.IMAGESMITH_NETRC)
    secrets.push({ id: 'netrc', src: process.env.IMAGESMITH_NETRC });
  // Behind a TLS-intercepting proxy pip needs the host's CA bundle (the one host pip uses, else
  // the system bundle, which holds any CA the host was told to trust).
  const ca =
    process.env.IMAGESMITH_CA_BUNDLE ??
    process.env.PIP_CERT ??
    process.env.SSL_CERT_FILE ??
    '/etc/ssl/certs/ca-certificates.crt';
  if (ca && existsSync(ca)) secrets.push({ id: 'ca-bundle', src: ca });
  // Only an image the registry holds can seed the inline cache: an absent --cache-from ref makes
  // BuildKit print an ERROR line for a build that is fine.
  // Only a seed for the cache: when the registry did not answer above, it is not asked again.
  const cacheFrom =
    held === false && (await s.registry.hasTag(plan.refs.floating).catch(() => false))
      ? [plan.refs.floating]
      : [];
  // buildah/podman stamp it on the image and its files: same commit, same image id.
  const epoch = sourceDateEpoch(s.root);
  const output = s.output ?? QUIET;
  const kept: string[] = [];
  const started = Date.now();
  const build = (progress?: Progress) =>
    s.engine.build({
      contextDir: join(s.root, v.outDir),
      dockerfile: join(s.root, v.outDir, 'Dockerfile'),
      target: plan.stage,
      tags,
      buildArgs: { ...plan.buildArgs, BUILDKIT_INLINE_CACHE: '1' },
      labels: {
        [CONTENT_LABEL]: plan.contentHash,
        ...(sha ? { 'org.opencontainers.image.revision': sha } : {}),
      },
      platforms: v.spec.platforms,
      secrets,
      cacheFrom,
      sourceDateEpoch: epoch,
      onOutput: (line: string) => {
        if (output.verbose) s.log(`  ${line}`);
        else kept.push(line);
        progress?.note(line);
      },
    });
  forgetMetadata(file);
  try {
    if (output.progress && !output.verbose)
      await withProgress({ ...output.progress, label: `${v.name}: building` }, build);
    else await build();
  } catch (error) {
    // The engine's message names the failing step and the fix; the whole log goes above it, once.
    if (!output.verbose) for (const line of kept) s.log(`  ${line}`);
    throw await engineGone(s, v.name, error);
  }
  // Confirm what the tag names now: a concurrent build of other content must not be recorded.
  const built = await s.engine.inspect(plan.refs.content);
  if (!built || !carriesContent(built, plan))
    throw new EngineError(
      `${v.name}: after the build, ${built ? labelMismatch(built, plan) : `${plan.refs.content} is missing`} (another build or a cleanup changed it meanwhile); run the build again`,
      s.engine.name,
    );
  return done(s, plan, meta('built', built.id), true, Date.now() - started);
}

/**
 * A daemon that died mid-build leaves output that reads like a bad Dockerfile; when the engine no
 * longer answers, say that instead (the original error stays as the cause).
 */
async function engineGone(s: Session, variant: string, error: unknown): Promise<unknown> {
  try {
    await s.engine.info();
    return error;
  } catch (gone) {
    const why = (gone as Error).message.split('\n')[0];
    return new EngineError(
      `${variant}: the ${s.engine.name} engine went away during the build (${why}); nothing was recorded for this build. What to do: start the engine again (bash .ci/setup-engine.sh), then run the build again`,
      s.engine.name,
      { cause: error },
    );
  }
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
