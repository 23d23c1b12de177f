import { describe, expect, it } from 'vitest';
import { devContainerRequest } from './dev-container-request';

const base = {
  name: 'imagesmith-dev-x',
  image: 'r/x:ch-1',
  root: '/src/ws',
  owner: { uid: 4321, gid: 99 },
};

describe('devContainerRequest', () => {
  it("runs as the workspace's owner with a writable HOME", () => {
    const req = devContainerRequest({ ...base, ports: [], engine: 'docker' });
    expect(req).toMatchObject({ user: '4321:99', env: { HOME: '/tmp' }, network: 'host' });
    expect(req.ports).toBeUndefined();
  });

  it('publishes ports from a bridge network of its own on docker and podman, not on buildah', () => {
    expect(devContainerRequest({ ...base, ports: [8000], engine: 'docker' })).toMatchObject({
      network: 'imagesmith-dev',
      ports: [8000],
    });
    expect(devContainerRequest({ ...base, ports: [8000], engine: 'buildah' })).toMatchObject({
      network: 'host',
    });
  });
});
