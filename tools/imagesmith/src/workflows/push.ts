import { requireImage, resolveVariants, UsageError } from '@imagesmith/core';
import { planBuild } from './build-plan';
import { contextReader, type Session } from './engine-context';

/** Push every tag of every variant (content hash, pinned, floating); the image must be built. */
export async function pushImage(s: Session, image: string): Promise<string[]> {
  requireImage(s.ws, image);
  const pushed: string[] = [];
  for (const v of resolveVariants(s.ws, image)) {
    const plan = planBuild(s.ws, s.config, v, 'production', contextReader(s.root));
    if (!(await s.engine.inspect(plan.refs.content)))
      throw new UsageError(
        `${v.name}: ${plan.refs.content} is not built; run \`nx run ${image}:build\` first`,
      );
    for (const ref of [plan.refs.content, plan.refs.pinned, plan.refs.floating]) {
      await s.engine.tag(plan.refs.content, ref);
      const { digest } = await s.engine.push(ref);
      s.log(`pushed ${ref}${digest ? ` (${digest})` : ''}`);
      pushed.push(ref);
    }
  }
  return pushed;
}
