import { requireImage, resolveVariants } from '@imagesmith/core';
import { buildImage } from './build';
import { planBuild } from './build-plan';
import { contextReader, type Session } from './engine-context';

export function devContainerName(variant: string): string {
  return `imagesmith-dev-${variant}`;
}

/** Start a development container with the workspace mounted at /workspace (the docker.start of the Makefile way). */
export async function startDev(s: Session, image: string): Promise<void> {
  requireImage(s.ws, image);
  const [v] = resolveVariants(s.ws, image);
  // The development stage is built on demand (a no-op when this exact content exists).
  await buildImage(s, image, { stage: 'development' });
  const plan = planBuild(s.ws, s.config, v!, 'development', contextReader(s.root));
  const name = devContainerName(v!.name);
  // Through the engine: docker/podman run `sleep infinity` detached; buildah keeps a named working
  // container and `enter` is a `buildah run` with the same mount, network and workdir.
  const c = await s.engine.startContainer({
    name,
    image: plan.refs.content,
    entrypoint: 'sleep',
    command: ['infinity'],
    network: 'host',
    mounts: [{ source: s.root, target: '/workspace' }],
    workdir: '/workspace',
  });
  s.log(`started ${name} from ${plan.refs.content}; enter it with: ${c.enter.join(' ')}`);
}

export async function stopDev(s: Session, image: string): Promise<void> {
  requireImage(s.ws, image);
  for (const v of resolveVariants(s.ws, image)) {
    const removed = await s.engine.removeContainer(devContainerName(v.name));
    s.log(
      removed
        ? `stopped ${devContainerName(v.name)}`
        : `${devContainerName(v.name)} was not running`,
    );
  }
}
