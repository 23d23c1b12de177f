import { UsageError } from '@imagesmith/core';
import type { ExpectedLabel, ImageInfo } from '@imagesmith/engine';
import type { BuildPlan } from './build-plan';

/** The label every build stamps: the content hash its inputs have (build-plan.ts). */
export const CONTENT_LABEL = 'dev.imagesmith.content-hash';

/** The label a registry copy must carry to stand for this plan's content (RegistryLookup.hasTag). */
export function contentLabel(plan: Pick<BuildPlan, 'contentHash'>): ExpectedLabel {
  return { name: CONTENT_LABEL, value: plan.contentHash };
}

/** Whether the image really is this plan's content: a content-hash tag alone can be moved by hand. */
export function carriesContent(info: Pick<ImageInfo, 'labels'>, plan: BuildPlan): boolean {
  return info.labels[CONTENT_LABEL] === plan.contentHash;
}

/** The words for an image whose label does not match its content-hash tag. */
export function labelMismatch(info: Pick<ImageInfo, 'labels'>, plan: BuildPlan): string {
  const found = info.labels[CONTENT_LABEL];
  return `${plan.refs.content} points at an image labelled ${CONTENT_LABEL}=${found ?? '(none)'}, not ${plan.contentHash}`;
}

/**
 * For validate and push (local or pulled copy): refuse an image whose label is not this content,
 * rather than test or publish a different image under these tags.
 */
export function requireContent(
  info: Pick<ImageInfo, 'labels'>,
  plan: BuildPlan,
  image: string,
): void {
  if (carriesContent(info, plan)) return;
  throw new UsageError(
    `${plan.variant.name}: ${labelMismatch(info, plan)}; run \`nx run ${image}:build\` to rebuild it (a build replaces that tag), then try again`,
  );
}
