import { requireImage, resolveVariants, UsageError } from '@imagesmith/core';
import { planBuild } from './build-plan';
import { contextReader, type Session } from './engine-context';
import { registryHoldsOrFail } from './registry-answer';
import { requireContent } from './content-label';

/** Push every tag of every variant (content hash, pinned, floating); the image must be built. */
export async function pushImage(s: Session, image: string): Promise<string[]> {
  requireImage(s.ws, image);
  const pushed: string[] = [];
  for (const v of resolveVariants(s.ws, image)) {
    const plan = planBuild(s.ws, s.config, v, 'production', contextReader(s.root));
    // An image built elsewhere (the registry holds its content tag) is pulled to add the tags.
    const local = await s.engine.inspect(plan.refs.content);
    if (!local && (await registryHoldsOrFail(s, v.name, image, plan.refs.content)))
      await s.engine.pull(plan.refs.content);
    else if (!local)
      throw new UsageError(
        `${v.name}: ${plan.refs.content} is not built; run \`nx run ${image}:build\` first`,
      );
    // Local or just pulled: publish these tags only on the image whose label is this content.
    const info = local ?? (await s.engine.inspect(plan.refs.content));
    if (info) requireContent(info, plan, image);
    let digest: string | undefined;
    const refs = [plan.refs.content, plan.refs.pinned, plan.refs.floating];
    for (const ref of refs) {
      await s.engine.tag(plan.refs.content, ref);
      digest = (await s.engine.push(ref)).digest ?? digest;
      pushed.push(ref);
    }
    // One line per image: the repository once, then the tags.
    const repo = plan.refs.content.slice(0, plan.refs.content.lastIndexOf(':'));
    const tags = refs.map((r) => r.slice(r.lastIndexOf(':') + 1)).join(', ');
    s.log(`${v.name}: pushed ${repo} (tags ${tags})${digest ? ` ${digest}` : ''}`);
  }
  return pushed;
}
