import { parentVariant, type ImageVariant, type Workspace } from '@imagesmith/core';
import { PUBLISH_NETWORK, type ContainerRequest, type EngineName } from '@imagesmith/engine';

/** Who the dev container runs as: the owner of the mounted checkout (normally the caller). */
export interface Owner {
  uid: number;
  gid: number;
}

/** The spec's ports and its ancestors' (a child's image EXPOSEs those too), sorted. */
export function devPorts(ws: Workspace, v: ImageVariant): number[] {
  const ports = new Set<number>();
  for (let at: ImageVariant | undefined = v; at; at = parentVariant(ws, at))
    for (const p of at.spec.ports ?? []) ports.add(p);
  return [...ports].sort((a, b) => a - b);
}

/**
 * The development container: the workspace at /workspace, as the checkout's owner, so what it
 * writes there is the owner's and a checkout not owned by the image's uid 1000 is writable
 * (docker-stacks starts as NB_UID for the same reason). That uid may have no home in the image:
 * HOME is /tmp (there in every image, writable by anyone). The spec's ports are published on 127.0.0.1 (a bridge network: the host network
 * publishes nothing); without ports it shares the host's network. Pure.
 */
export function devContainerRequest(o: {
  name: string;
  image: string;
  root: string;
  owner: Owner;
  ports: number[];
  engine: EngineName;
}): ContainerRequest {
  const publish = o.ports.length > 0 && o.engine !== 'buildah';
  return {
    name: o.name,
    image: o.image,
    entrypoint: 'sleep',
    command: ['infinity'],
    network: publish ? PUBLISH_NETWORK : 'host',
    ...(publish ? { ports: o.ports } : {}),
    user: `${o.owner.uid}:${o.owner.gid}`,
    env: { HOME: '/tmp' },
    mounts: [{ source: o.root, target: '/workspace' }],
    workdir: '/workspace',
  };
}
