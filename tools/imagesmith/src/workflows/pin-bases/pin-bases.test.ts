import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWorkspaceConfig, resolveVariants } from '@imagesmith/core';
import { workspaceOf } from '../../../../../libs/core/test-support/fixtures';
import { planBuild } from '../shared/build-plan';
import { describeBaseChanges, externalBases, registryDigests } from './pin-bases';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const ws = workspaceOf({
  a: 'description: a\nprofile: cpu\npython: "3.11"\nbase: python:3.11-slim-bookworm\n',
  child: 'description: child\nprofile: cpu\nbase: a\n',
  b: 'description: b\nprofile: cpu\npython: "3.9"\n',
  c: 'description: c\nprofile: cpu\npython: "3.11"\nbase: python:3.11-slim-bookworm\n',
});

describe('pin-bases', () => {
  it('lists each external base tag once with the images on it (children build FROM a parent)', () => {
    const pinned = { ...ws, baseDigests: { 'python:3.11-slim-bookworm': D1 } };
    expect([...externalBases(pinned)]).toEqual([
      ['python:3.11-slim-bookworm', ['a', 'c']],
      ['python:3.9-slim-bookworm', ['b']],
    ]);
  });

  it('the build passes BASE_IMAGE as tag@digest (through the mirror) and a new digest changes the content hash', () => {
    const config = parseWorkspaceConfig(
      JSON.stringify({ mirrors: { registry: '127.0.0.1:5000' } }),
      {},
    );
    const plan = (digest: string) => {
      const w = { ...ws, baseDigests: { 'python:3.11-slim-bookworm': digest } };
      const v = resolveVariants(w, 'a')[0]!;
      // The Dockerfile carries the reference, as generation writes it.
      return planBuild(w, config, v, 'production', (x) => ({
        Dockerfile: `ARG BASE_IMAGE=${x.from.kind === 'external' ? x.from.ref : ''}\n`,
      }));
    };
    const one = plan(D1);
    expect(one.buildArgs.BASE_IMAGE).toBe(`127.0.0.1:5000/library/python:3.11-slim-bookworm@${D1}`);
    expect(plan(D2).contentHash).not.toBe(one.contentHash);
    expect(plan(D1).contentHash).toBe(one.contentHash);
  });

  it('summarizes changed digests with their images, or says none changed', () => {
    const changed = { tag: 'python:3.11', before: D1, after: D2, images: ['a', 'c'] };
    const none = { written: [], noExternalBase: [] };
    const done = { name: 'python:3.11', state: 'done' as const, detail: '' };
    const same = { name: 'python:3.9', state: 'unchanged' as const, detail: '' };
    expect(
      describeBaseChanges({ ...none, changed: [changed], unchanged: 1, outcomes: [done, same] }),
    ).toEqual([
      'Base images with a new digest (these images and their children rebuild):',
      `- \`python:3.11\`: ${D1} -> ${D2} (a, c)`,
      '',
      'Base tags: 1 done, 1 unchanged, 0 skipped, 0 failed.',
    ]);
    expect(describeBaseChanges({ ...none, changed: [], unchanged: 1, outcomes: [same] })).toEqual([
      'Base images: all 1 digests unchanged.',
      '',
      'Base tags: 0 done, 1 unchanged, 0 skipped, 0 failed.',
    ]);
  });
});

describe('pin-bases asks registries with the engine login', () => {
  it('sends the login `docker login` stored to a mirror that refuses anonymous requests', async () => {
    const basic = `Basic ${Buffer.from('ci:s3cret').toString('base64')}`;
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ? 'login' : 'anonymous'}`);
      if (req.headers.authorization !== basic) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="mirror"' }).end();
        return;
      }
      res.writeHead(200, { 'Docker-Content-Digest': D1 }).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const mirror = `127.0.0.1:${(server.address() as { port: number }).port}`;
    const dir = mkdtempSync(join(tmpdir(), 'imagesmith-pin-login-'));
    try {
      writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({
          auths: { [mirror]: { auth: Buffer.from('ci:s3cret').toString('base64') } },
        }),
      );
      const resolve = registryDigests('docker', { DOCKER_CONFIG: dir, HOME: dir });
      expect(await resolve(`${mirror}/library/python:3.11-slim-bookworm`)).toEqual({ digest: D1 });
      expect(seen).toEqual([
        'HEAD /v2/library/python/manifests/3.11-slim-bookworm anonymous',
        'HEAD /v2/library/python/manifests/3.11-slim-bookworm login',
      ]);
      // With no engine configured, buildah/podman's search order ends with docker's file.
      expect(
        await registryDigests(undefined, { DOCKER_CONFIG: dir, HOME: dir, XDG_RUNTIME_DIR: dir })(
          `${mirror}/library/python:3.11-slim-bookworm`,
        ),
      ).toEqual({ digest: D1 });
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
