/**
 * Content-hash lookups ask the registry with the engine's own login (issue #11 item 4): a real
 * password-protected registry (Debian's docker-registry, htpasswd auth) on its own 127.0.0.1 port,
 * the real CLI and docker engine. Engine builds are counted from the engine's own events
 * (tools/testkit/engine-builds.ts). Skips with the reason outside CI when docker, the local registry,
 * htpasswd or docker-registry is missing; in CI (CI=true) it fails instead.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAuthRegistry, type AuthRegistry } from './support/auth-registry';
import { engineBuildsDuring } from '../tools/testkit/engine-builds';
import { IMAGE, useLookupWorkspace } from './support/lookup-fixture';

const USER = 'e2e-user';
const PASSWORD = `pw-${process.pid}-${Date.now()}`;
let registry: AuthRegistry | undefined;

const w = useLookupWorkspace({
  tools: ['htpasswd', 'docker-registry'],
  setup: async (ws) => {
    registry = await startAuthRegistry(ws.dir, USER, PASSWORD);
  },
  registry: () => registry!.addr,
  teardown: () => registry?.stop(),
});

describe('lookups on a password-protected registry', () => {
  it('without a login, build stops: the registry answered 401 and no credentials are configured', async (ctx) => {
    w.need(ctx);
    const addr = registry!.addr;
    const repo = `${addr}/${w.run}`;
    const { result, builds } = await engineBuildsDuring(repo, () => w.cli(['build', IMAGE]));
    expect(result.code, result.out).toBe(1);
    expect(result.out).toMatch(
      new RegExp(
        `registry ${addr} answered 401 for ${repo}/${IMAGE}:ch-\\w+ and no credentials for ${addr} are configured \\(searched ${w.dockerConfig}/config.json\\): run \`imagesmith login ${addr}\``,
      ),
    );
    expect(builds).toEqual([]);
  }, 120_000);

  it('after `imagesmith login`, an image only the registry holds is not rebuilt and validate pulls it', async (ctx) => {
    w.need(ctx);
    const addr = registry!.addr;
    const repo = `${addr}/${w.run}`;
    const login = await w.cli(
      ['login', addr, '--username', USER, '--password-stdin'],
      {},
      `${PASSWORD}\n`,
    );
    expect(login.code, login.out).toBe(0);
    expect(login.out).toContain(`logged in to ${addr} as ${USER}`);
    const config = JSON.parse(readFileSync(join(w.dockerConfig, 'config.json'), 'utf8')) as {
      auths: Record<string, unknown>;
    };
    expect(Object.keys(config.auths)).toContain(addr);

    const first = await engineBuildsDuring(repo, () => w.cli(['build', IMAGE]));
    expect(first.result.code, first.result.out).toBe(0);
    expect(first.builds.map((b) => b.image)).toEqual([IMAGE]);
    const pushed = await w.cli(['push', IMAGE]);
    expect(pushed.code, pushed.out).toBe(0);

    // A fresh runner: nothing local, the registry holds the content tag.
    w.removeLocal(addr);
    const again = await engineBuildsDuring(repo, () => w.cli(['build', IMAGE]));
    expect(again.result.code, again.result.out).toBe(0);
    expect(again.builds).toEqual([]);
    expect(again.result.out).not.toMatch(/rebuilding/);
    expect(w.meta().result).toBe('present-registry');

    const validated = await w.cli(['validate', IMAGE]);
    expect(validated.code, validated.out).toBe(0);
    expect(validated.out).toMatch(/ 0 failed/);
    const id = w.docker('image', 'inspect', '--format', '{{.Id}}', w.meta().reference);
    expect(id.trim()).toMatch(/^sha256:/);

    // push on a fresh runner: the registry holds the content tag, so it pulls and adds the tags.
    w.removeLocal(addr);
    const pushedAgain = await w.cli(['push', IMAGE]);
    expect(pushedAgain.code, pushedAgain.out).toBe(0);
    expect(pushedAgain.out).toMatch(
      new RegExp(`^${IMAGE}: pushed ${repo}/${IMAGE} \\(tags ch-`, 'm'),
    );
    expect(w.logs.join('\n')).not.toContain(PASSWORD);
  }, 600_000);
});
