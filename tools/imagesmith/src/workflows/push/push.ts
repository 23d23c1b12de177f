import { ImagesmithError, requireImage, resolveVariants, UsageError } from '@imagesmith/core';
import {
  createRegistryClient,
  engineCredentials,
  pushTimeoutMs,
  pushWithin,
  registryTimeoutMs,
  repositoryName,
  tagOf,
  type RegistryClient,
} from '@imagesmith/engine';
import { planBuild, type BuildPlan } from '../shared/build-plan';
import { CONTENT_LABEL, contentLabel, requireContent } from '../shared/content-label';
import { contextReader, type Session } from '../shared/engine-context';
import { askRegistry, registryHoldsOrFail } from '../shared/registry-answer';
import { pushSigner, type PushSigner } from './sign';
import { attachPushedSboms } from '../sbom/attach-sbom';
import { attestCachedValidation } from '../validate/attestation-push';

/** The registry client push uses by default: the engine's own login, the lookup deadline. */
export function pushRegistry(s: Pick<Session, 'engine'>, env = process.env): RegistryClient {
  return createRegistryClient({
    timeoutMs: registryTimeoutMs(env),
    credentials: engineCredentials(s.engine.name, env),
  });
}

/**
 * Push every tag (content hash, pinned, floating) of every variant, each catalogue ancestor first
 * (a child whose parent reference points at nothing is no image). The pinned tag never moves: one
 * that names another image is refused (bump the revision). An image built elsewhere that only the
 * registry holds is tagged there, by copying its manifest, not pulled.
 */
export async function pushImage(
  s: Session,
  image: string,
  registry: RegistryClient = pushRegistry(s),
): Promise<string[]> {
  requireImage(s.ws, image);
  // Signing: the key is opened before anything is pushed (a wrong password moves nothing).
  const signer = await pushSigner(s);
  const rs: Session = { ...s, registry };
  const context = contextReader(s.root);
  const seen = new Set<string>();
  const pushed: string[] = [];
  for (const v of resolveVariants(s.ws, image)) {
    const lineage: BuildPlan[] = [];
    for (
      let p: BuildPlan | undefined = planBuild(s.ws, s.config, v, 'production', context);
      p;
      p = p.parent
    )
      lineage.unshift(p);
    for (const plan of lineage) {
      if (seen.has(plan.refs.content)) continue;
      seen.add(plan.refs.content);
      pushed.push(...(await pushOne(rs, registry, plan, image, signer)));
    }
  }
  signer.done();
  return pushed;
}

async function pushOne(
  s: Session,
  registry: RegistryClient,
  plan: BuildPlan,
  image: string,
  signer: PushSigner,
): Promise<string[]> {
  const { refs, variant: v } = plan;
  const refsInOrder = [refs.content, refs.pinned, refs.floating];
  const local = await s.engine.inspect(refs.content);
  if (local) requireContent(local, plan, image);
  else if (!(await registryHoldsOrFail(s, v.name, image, refs.content, contentLabel(plan))))
    throw new UsageError(
      `${v.name}: ${refs.content} is not built; run \`nx run ${image}:build\` first`,
    );
  // Asked first, before anything moves: where the production tag points now.
  const pinnedNow = await ask(v.name, refs.pinned, () => registry.manifestDigest(refs.pinned));
  if (pinnedNow) {
    const found = (await ask(v.name, refs.pinned, () => registry.imageConfig(refs.pinned)))?.labels[
      CONTENT_LABEL
    ];
    if (found !== plan.contentHash)
      throw pinnedMoves(plan, pinnedNow, `content ${found ?? '(unlabelled)'}`);
  }
  let digest: string | undefined;
  let how = '';
  // An image this engine pulled from the registry (validate on another runner) may hold only its
  // own platform's part of the index, which docker push cannot send again: when the registry's
  // content tag already names exactly this image, the tags are moved there instead.
  const inRegistry = local
    ? await ask(v.name, refs.content, () => registry.manifestDigest(refs.content))
    : undefined;
  if (local && inRegistry !== local.id) {
    // The content tag names this content wherever it points, so it may go first; its digest is
    // then what the pinned tag would name.
    await s.engine.tag(local.id, refs.content);
    digest = (
      await pushWithin(refs.content, pushTimeoutMs(), () =>
        s.engine.push(refs.content, { timeoutMs: pushTimeoutMs() }),
      )
    ).digest;
    digest ??= await ask(v.name, refs.content, () => registry.manifestDigest(refs.content));
    if (pinnedNow && digest && pinnedNow !== digest)
      throw pinnedMoves(
        plan,
        pinnedNow,
        `another build of the same inputs (this one is ${digest})`,
      );
    for (const ref of refsInOrder.slice(1)) {
      await s.engine.tag(local.id, ref);
      digest =
        (
          await pushWithin(ref, pushTimeoutMs(), () =>
            s.engine.push(ref, { timeoutMs: pushTimeoutMs() }),
          )
        ).digest ?? digest;
    }
  } else {
    // Built elsewhere (a remote builder pushed the content tag): tag it in the registry.
    digest = await ask(v.name, refs.content, () => registry.manifestDigest(refs.content));
    if (!digest)
      throw new UsageError(
        `${v.name}: ${refs.content} left the registry while pushing; run \`nx run ${image}:build\`, then push again`,
      );
    if (pinnedNow && pinnedNow !== digest)
      throw pinnedMoves(
        plan,
        pinnedNow,
        `another build of the same inputs (the registry's ${refs.content} is ${digest})`,
      );
    for (const ref of refsInOrder.slice(1))
      await ask(v.name, ref, () => registry.copyTag(refs.content, tagOf(ref)));
    how = local
      ? ' (tagged in the registry, which already holds this image)'
      : ' (tagged in the registry: built elsewhere, nothing pulled)';
  }
  // One line per image: the repository once, then the tags.
  const tags = refsInOrder.map(tagOf).join(', ');
  s.log(
    `${v.name}: pushed ${repositoryName(refs.content)} (tags ${tags})${digest ? ` ${digest}` : ''}${how}`,
  );
  // After every tag: the signature names the digest the tags now name.
  await signer.sign(v.name, refs.content, digest);
  // Issue 12 item 4: validate's cached passing result for this image id, attested on the digest.
  if (local && digest) await attestCachedValidation(s, plan, local.id, digest);
  // Issue 12: each platform's provenance said, and its SPDX SBOM attached (workflows/sbom/).
  if (digest) await attachPushedSboms(s, plan, digest);
  return refsInOrder;
}

/** The refusal to move a production tag: what it names now, and the revision bump that fixes it. */
function pinnedMoves(plan: BuildPlan, pinnedNow: string, now: string): ImagesmithError {
  const v = plan.variant;
  const revision = v.spec.revision ?? 0;
  return new ImagesmithError(
    `${v.name}: ${plan.refs.pinned} in the registry names ${pinnedNow} (${now}), not this build (content ${plan.contentHash}); a pinned tag never moves, so nothing was pushed under it`,
    {
      hint: `bump revision in ${v.specFile} (revision: ${revision} -> ${revision + 1}), then build and push again`,
    },
  );
}

/** Registry questions push cannot go on without (shared/registry-answer.ts). */
function ask<T>(variant: string, ref: string, question: () => Promise<T>): Promise<T> {
  return askRegistry('push', variant, ref, question);
}
