/**
 * A registry that cannot answer is never a silent "absent" or "up to date" (issue #11 item 4):
 * fake registries (node http servers on 127.0.0.1) answer 500, 401 or never, and one is stopped.
 * build logs why it rebuilds and builds; validate and push of an image that is not local fail
 * naming the registry's answer. Real CLI and docker engine; engine builds are counted from the
 * engine's own events. Skips with the reason outside CI without docker and the local registry.
 */
import { describe, expect, it } from 'vitest';
import { freePort, startFakeRegistry, type FakeMode } from './support/auth-registry';
import { engineBuildsDuring } from '../tools/testkit/engine-builds';
import { REGISTRY } from './support/engine-env';
import { IMAGE, useLookupWorkspace } from './support/lookup-fixture';

const w = useLookupWorkspace({ registry: () => REGISTRY });

/** The workspace under another registry's repository: its content tag is not local there. */
const under = (addr: string, extra: Record<string, string> = {}) => ({
  IMAGESMITH_REPOSITORY: `${addr}/${w.run}`,
  ...extra,
});

async function withFake(mode: FakeMode, body: (addr: string, seen: string[]) => Promise<void>) {
  const fake = await startFakeRegistry(mode);
  try {
    await body(fake.addr, fake.seen);
  } finally {
    await fake.close();
  }
}

const ref = (addr: string) => `${addr}/${w.run}/${IMAGE}:ch-\\w+`;

describe('lookups on registries that cannot answer', () => {
  it('a 500: build says it rebuilds and why; validate and push of a non-local image name the answer', async (ctx) => {
    w.need(ctx);
    await withFake('status-500', async (addr, seen) => {
      const repo = `${addr}/${w.run}`;
      const b = await engineBuildsDuring(repo, () => w.cli(['build', IMAGE], under(addr)));
      expect(b.result.code, b.result.out).toBe(0);
      expect(b.result.out).toMatch(
        new RegExp(
          `^rebuilding ${IMAGE}: the registry ${addr} answered 500 for ${ref(addr)}$`,
          'm',
        ),
      );
      expect(b.builds.map((x) => x.image)).toEqual([IMAGE]);
      expect(seen[0]).toMatch(new RegExp(`^HEAD /v2/${w.run}/${IMAGE}/manifests/ch-`));

      w.removeLocal(addr);
      for (const command of ['validate', 'push']) {
        const r = await w.cli([command, IMAGE], under(addr));
        expect(r.code, r.out).toBe(1);
        expect(r.out).toMatch(
          new RegExp(
            `${IMAGE}: ${ref(addr)} is not in the local engine and the registry ${addr} answered 500 for`,
          ),
        );
        expect(r.out).not.toMatch(/is not built/);
      }
    });
  }, 300_000);

  it('a 401 with no credentials for that registry stops the build and says to log in', async (ctx) => {
    w.need(ctx);
    await withFake('status-401', async (addr) => {
      const repo = `${addr}/${w.run}`;
      const b = await engineBuildsDuring(repo, () => w.cli(['build', IMAGE], under(addr)));
      expect(b.result.code, b.result.out).toBe(1);
      expect(b.result.out).toMatch(
        new RegExp(
          `registry ${addr} answered 401 for ${ref(addr)} and no credentials for ${addr} are configured`,
        ),
      );
      expect(b.result.out).toContain(`imagesmith login ${addr}`);
      expect(b.builds).toEqual([]);
    });
  }, 120_000);

  it('a registry that never answers times out (IMAGESMITH_REGISTRY_TIMEOUT) and the build says so', async (ctx) => {
    w.need(ctx);
    await withFake('hang', async (addr) => {
      const env = under(addr, { IMAGESMITH_REGISTRY_TIMEOUT: '1' });
      const started = Date.now();
      const b = await w.cli(['build', IMAGE], env);
      expect(b.code, b.out).toBe(0);
      expect(b.out).toMatch(
        new RegExp(
          `^rebuilding ${IMAGE}: the registry ${addr} could not be reached for ${ref(addr)} \\(no answer within 1 s\\)$`,
          'm',
        ),
      );
      expect(Date.now() - started).toBeLessThan(60_000);
      w.removeLocal(addr);
      const v = await w.cli(['validate', IMAGE], env);
      expect(v.code, v.out).toBe(1);
      expect(v.out).toMatch(
        /could not be reached for .* \(no answer within 1 s\), so it cannot be pulled/,
      );
    });
  }, 300_000);

  it('a stopped registry: "could not be reached (connection refused)", and the build goes on', async (ctx) => {
    w.need(ctx);
    const addr = `127.0.0.1:${await freePort()}`;
    const repo = `${addr}/${w.run}`;
    const b = await engineBuildsDuring(repo, () => w.cli(['build', IMAGE], under(addr)));
    expect(b.result.code, b.result.out).toBe(0);
    expect(b.result.out).toMatch(
      new RegExp(
        `^rebuilding ${IMAGE}: the registry ${addr} could not be reached for ${ref(addr)} \\(connection refused\\)$`,
        'm',
      ),
    );
    expect(b.builds.map((x) => x.image)).toEqual([IMAGE]);
  }, 300_000);
});
