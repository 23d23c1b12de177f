import { ImagesmithError, imageReference, plural, UsageError } from '@imagesmith/core';
import {
  EngineError,
  parseImageRef,
  repositoryName,
  tagOf,
  type RegistryClient,
} from '@imagesmith/engine';
import type { BuildPlan } from '../shared/build-plan';
import { askRegistry } from '../shared/registry-answer';
import { promotePolicy, refusalLine, type Requirement } from './promote-policy';
import type { RegistryWork } from './workspace-plans';

/** Whether a requirement holds at the digest, and the line that says why (or why not). */
export interface Verdict {
  ok: boolean;
  line: string;
}

/** Checks one requirement at `repository@digest` (the source, before anything is copied). */
export type CheckRequirement = (
  repository: string,
  digest: string,
  r: Requirement,
) => Promise<Verdict>;

/** What promote does its work with; tests pass fakes (and see what was never called). */
export interface PromoteDeps {
  registry: Pick<RegistryClient, 'manifestDigest' | 'copyTag'>;
  check: CheckRequirement;
  /** Copies `src` (repository@digest) with its signatures and attestations to `dst` (a tag). */
  copy: (src: string, dst: string) => Promise<void>;
  log: (line: string) => void;
}

/** `--to`: a repository (`registry[:port]/namespace`) the image's repository goes under. Pure. */
export function destinationRepository(to: string): string {
  const value = to.trim().replace(/\/+$/, '');
  if (!value) throw new UsageError('--to needs a repository, e.g. --to 127.0.0.1:5000/prod');
  let parsed;
  try {
    parsed = parseImageRef(value);
  } catch (error) {
    throw new UsageError(`--to "${to}" is not a repository: ${(error as Error).message}`);
  }
  if (!parsed.registry)
    throw new UsageError(
      `--to "${to}" names no registry: write registry[:port]/namespace, e.g. 127.0.0.1:5000/prod`,
    );
  if (parsed.tag || parsed.digest)
    throw new UsageError(
      `--to "${to}" names an image, not a repository: leave the tag or digest off (promote moves the image's own tags)`,
    );
  return value;
}

/** A variant's tags at the destination: the same tag names under `to`. Pure. */
export function destinationRefs(plan: BuildPlan, to: string): BuildPlan['refs'] {
  const name = plan.variant.name;
  return {
    content: imageReference(to, name, tagOf(plan.refs.content)),
    pinned: imageReference(to, name, tagOf(plan.refs.pinned)),
    floating: imageReference(to, name, tagOf(plan.refs.floating)),
  };
}

/**
 * Promotes every variant of an image from the workspace repository to `to` without building:
 * the manifest the pushed content tag names, by digest (every platform), with its signatures and
 * attestations, once every promote.requires entry verifies there; then the pinned and floating
 * tags at the destination. Everything is checked (all variants, all requirements) before anything
 * is copied. A pinned tag at the destination that names other content is refused: it never moves.
 */
export async function promoteImage(
  work: RegistryWork,
  toOption: string,
  deps: PromoteDeps,
): Promise<string[]> {
  const to = destinationRepository(toOption);
  const policy = promotePolicy(work.config);
  const ready: { plan: BuildPlan; digest: string; dst: BuildPlan['refs']; lines: string[] }[] = [];
  const refusals: string[] = [];
  for (const plan of work.plans) {
    const name = plan.variant.name;
    const src = plan.refs;
    const dst = destinationRefs(plan, to);
    if (repositoryName(src.content) === repositoryName(dst.content))
      throw new UsageError(
        `--to ${to} is the workspace repository itself: promote copies to another repository`,
      );
    const digest = await ask(name, src.content, () => deps.registry.manifestDigest(src.content));
    if (!digest)
      throw new UsageError(
        `${name}: ${src.content} is not in the registry; build and push it first (\`nx run ${plan.variant.image}:push\`)`,
      );
    const pinned = await ask(name, src.pinned, () => deps.registry.manifestDigest(src.pinned));
    if (pinned !== digest)
      throw new UsageError(
        pinned
          ? `${name}: ${src.pinned} names ${pinned}, not this content (${src.content} is ${digest}); push the image (bump its revision if the spec changed), then promote`
          : `${name}: ${src.pinned} is not in the registry; push the image first (\`nx run ${plan.variant.image}:push\`): promote copies what push published`,
      );
    const there = await ask(name, dst.pinned, () => deps.registry.manifestDigest(dst.pinned));
    if (there && there !== digest)
      throw new ImagesmithError(
        `${name}: ${dst.pinned} names ${there}, not ${digest}; a pinned tag never moves, so nothing was promoted`,
        { hint: `bump revision in ${plan.variant.specFile}, then build, push and promote again` },
      );
    const lines: string[] = [];
    for (const r of policy.requires) {
      const verdict = await deps.check(repositoryName(src.content), digest, r);
      if (verdict.ok) lines.push(verdict.line);
      else
        refusals.push(
          `${name}: ${repositoryName(src.content)}@${digest} ${refusalLine(r, verdict.line, policy)}`,
        );
    }
    ready.push({ plan, digest, dst, lines });
  }
  if (refusals.length > 0)
    throw new ImagesmithError(
      `not promoted to ${to} (${plural(refusals.length, 'requirement')} of ${policy.source} not met; nothing was copied):\n${refusals.map((l) => `  ${l}`).join('\n')}`,
    );
  const promoted: string[] = [];
  for (const { plan, digest, dst, lines } of ready) {
    const name = plan.variant.name;
    const srcRef = `${repositoryName(plan.refs.content)}@${digest}`;
    await deps.copy(srcRef, dst.content);
    // The copy must be the same manifest: the digest is what the signatures and attestations name.
    const copied = await ask(name, dst.content, () => deps.registry.manifestDigest(dst.content));
    if (copied !== digest)
      throw new EngineError(
        `${name}: ${dst.content} names ${copied ?? 'nothing'} after the copy, not ${digest}; the destination registry changed the manifest, so the tags were not moved`,
        'registry',
      );
    for (const ref of [dst.pinned, dst.floating])
      await ask(name, ref, () => deps.registry.copyTag(dst.content, tagOf(ref)));
    const tags = [dst.content, dst.pinned, dst.floating].map(tagOf).join(', ');
    deps.log(
      `${name}: promoted ${srcRef} to ${repositoryName(dst.content)} (tags ${tags})${
        lines.length > 0
          ? `; verified ${lines.join('; ')}`
          : '; promote.requires is empty: nothing verified'
      }`,
    );
    promoted.push(dst.content, dst.pinned, dst.floating);
  }
  return promoted;
}

/** Registry questions promote cannot go on without (shared/registry-answer.ts). */
function ask<T>(variant: string, ref: string, question: () => Promise<T>): Promise<T> {
  return askRegistry('promote', variant, ref, question);
}
