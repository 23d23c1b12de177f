import { createHash, type Hash } from 'node:crypto';
import { normalizePlatform } from '@imagesmith/engine';
import {
  imageReference,
  mirrorReference,
  parentVariant,
  splitUrlCredentials,
  versionTags,
  type ImageVariant,
  type Workspace,
  type WorkspaceConfig,
  UsageError,
} from '@imagesmith/core';
import type { ContextEntry } from './build-snapshot';

export type Stage = 'production' | 'development';

/** Everything needed to build one variant at one stage. */
export interface BuildPlan {
  variant: ImageVariant;
  stage: Stage;
  /** sha256 over the variant's build context, its stage and its parent's content hash. */
  contentHash: string;
  /**
   * The build context exactly as hashed (file name -> content): the build runs on a snapshot of
   * these bytes, never on the folder, which a concurrent `lock` or edit may change meanwhile.
   */
  context: Record<string, ContextEntry>;
  /** Tag that names exactly this content: ch-<hash> (development stage: ch-<hash>-dev). */
  contentTag: string;
  /** Full references: content-hash tag first, then pinned <version>-r<revision>, then floating. */
  refs: { content: string; pinned: string; floating: string };
  baseImage: string;
  buildArgs: Record<string, string>;
  parent?: BuildPlan;
  /** One platform of a multi-platform spec, built alone (`build --platform`); its tags say which. */
  platform?: string;
}

/** The tag suffix of a one-platform build: linux/arm64 -> -arm64, linux/arm/v7 -> -armv7. */
export function platformSuffix(platform: string | undefined): string {
  return platform ? `-${platform.replace(/^linux\//, '').replace(/\//g, '')}` : '';
}

/** Files of a variant's build context, read by the caller. */
export type ContextReader = (variant: ImageVariant) => Record<string, ContextEntry>;

/**
 * Plan a variant's build, parents first. The content hash covers the generated Dockerfile (which
 * carries the spec hash, the profile's and the templates' output), the lock-derived requirements,
 * the stage and the parent's content hash, so any change anywhere in the subtree changes the tag.
 * Pure apart from `readContext`.
 */
export function planBuild(
  ws: Workspace,
  config: WorkspaceConfig,
  variant: ImageVariant,
  stage: Stage,
  readContext: ContextReader,
  platform?: string,
): BuildPlan {
  // Children build FROM the parent's production image.
  const parentOf = parentVariant(ws, variant);
  const parent = parentOf
    ? planBuild(ws, config, parentOf, 'production', readContext, platform)
    : undefined;
  const files = readContext(variant);
  const hash = createHash('sha256');
  for (const name of Object.keys(files).sort()) hashEntry(hash, name, files[name]!);
  hash.update(
    `stage\0${stage}\0parent\0${parent?.contentHash ?? (variant.from.kind === 'external' ? variant.from.ref : '')}`,
  );
  if (platform) hash.update(`\0platform\0${platform}`);
  const contentHash = hash.digest('hex');
  const suffix = `${platformSuffix(platform)}${stage === 'development' ? '-dev' : ''}`;
  const contentTag = `ch-${contentHash.slice(0, 20)}${suffix}`;
  const tags = versionTags(variant);
  const baseImage = parent
    ? parent.refs.content
    : mirrorReference(
        variant.from.kind === 'external' ? variant.from.ref : '',
        config.mirrors.registry,
      );
  const buildArgs: Record<string, string> = { BASE_IMAGE: baseImage };
  if (config.mirrors.apt) buildArgs.APT_MIRROR = config.mirrors.apt;
  if (config.mirrors.pip_index) {
    // A build arg is in argv (`ps`) and the image history: the index's user:password travel only
    // as the netrc secret (build-secrets.ts).
    buildArgs.PIP_INDEX_URL = splitUrlCredentials(config.mirrors.pip_index).url;
    // With a mirror, the vendor indexes are reached through it too.
    buildArgs.PIP_EXTRA_INDEX_URL = '';
  }
  return {
    variant,
    stage,
    contentHash,
    context: files,
    contentTag,
    refs: {
      content: imageReference(config.repository, variant.name, contentTag),
      pinned: imageReference(config.repository, variant.name, `${tags.pinned}${suffix}`),
      floating: imageReference(config.repository, variant.name, `${tags.floating}${suffix}`),
    },
    baseImage,
    buildArgs,
    parent,
    ...(platform ? { platform } : {}),
  };
}

/** A generated file by its text (as before spec files existed, so no tag moves); a spec file by mode and bytes. */
function hashEntry(hash: Hash, name: string, entry: ContextEntry): void {
  if (typeof entry === 'string') hash.update(`${name}\0${entry}\0`);
  else
    hash
      .update(`${name}\0${entry.executable ? '0755' : '0644'}\0`)
      .update(entry.bytes)
      .update('\0');
}

/** `--platform`: one of the spec's platforms (normalized), or a usage error naming the field. */
export function onePlatform(v: ImageVariant, wanted: string): string {
  const platforms = (v.spec.platforms ?? []).map(normalizePlatform);
  const p = normalizePlatform(wanted);
  if (!platforms.includes(p))
    throw new UsageError(
      `--platform ${wanted}: images/${v.image}/image.yaml \`platforms\` lists ${platforms.join(', ') || 'none (the host platform is built)'}; build one of those, or add ${p} there`,
    );
  return p;
}
