import { statSync } from 'node:fs';
import { requireImage, resolveVariants } from '@imagesmith/core';
import { buildImage } from '../build/build';
import { planBuild } from '../shared/build-plan';
import { devContainerRequest, devPorts } from './dev-container-request';
import { contextReader, type Session } from '../shared/engine-context';
import { requireDriver } from '../validate/driver-check';
import { detectHardware } from '../validate/validate';

export function devContainerName(variant: string): string {
  return `imagesmith-dev-${variant}`;
}

/**
 * Start a development container with the workspace mounted at /workspace (the docker.start of the
 * Makefile way), as the checkout's owner, with the spec's ports published. A second start leaves
 * the running one alone and says how to enter or stop it.
 */
export async function startDev(s: Session, image: string): Promise<void> {
  requireImage(s.ws, image);
  const [v] = resolveVariants(s.ws, image);
  // Issue 13: on a GPU host, a driver older than the image's CUDA needs is refused before any build.
  await requireDriver(s, v!, detectHardware());
  const plan = planBuild(s.ws, s.config, v!, 'development', contextReader(s.root));
  const ports = devPorts(s.ws, v!);
  const { uid, gid } = statSync(s.root);
  // Through the engine: docker/podman run `sleep infinity` detached; buildah keeps a named working
  // container and `enter` is a `buildah run` with the same mount, network, user and workdir.
  const req = devContainerRequest({
    name: devContainerName(v!.name),
    image: plan.refs.content,
    root: s.root,
    owner: { uid, gid },
    ports,
    engine: s.engine.name,
  });
  const running = await s.engine.runningContainer(req);
  if (running) {
    s.log(
      `${req.name} is already running; enter it with: ${running.enter.join(' ')}; stop it with: nx run ${image}:stop`,
    );
    return;
  }
  // The development stage is built on demand (a no-op when this exact content exists).
  await buildImage(s, image, { stage: 'development' });
  const c = await s.engine.startContainer(req);
  s.log(
    `started ${req.name} from ${plan.refs.content} as ${uid}:${gid} (the workspace's owner); enter it with: ${c.enter.join(' ')}`,
  );
  if (ports.length > 0)
    s.log(
      s.engine.name === 'buildah'
        ? `ports ${ports.join(', ')}: buildah publishes none; the container shares this machine's network, so a server on them is reachable as is`
        : `published on this machine: ${ports.map((p) => `127.0.0.1:${p}`).join(', ')}`,
    );
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
