import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import setup, { changedLoginFiles, fingerprint, loginFiles } from './support/login-guard';

const home = mkdtempSync(join(tmpdir(), 'imagesmith-guard-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the login guard (vitest globalSetup)', () => {
  it("watches docker's config.json and the containers auth files", () => {
    expect(loginFiles({ HOME: home, XDG_RUNTIME_DIR: '/run/user/0' })).toEqual([
      join(home, '.docker', 'config.json'),
      '/run/user/0/containers/auth.json',
      join(home, '.config', 'containers', 'auth.json'),
    ]);
    expect(
      loginFiles({ HOME: home, DOCKER_CONFIG: '/tmp/d', REGISTRY_AUTH_FILE: '/tmp/a.json' }),
    ).toEqual([
      '/tmp/d/config.json',
      '/tmp/a.json',
      join(home, '.config', 'containers', 'auth.json'),
    ]);
  });

  it('names a login file a test created or changed, and none when nothing changed', () => {
    const files = loginFiles({ HOME: home });
    const before = fingerprint(files);
    expect(changedLoginFiles(before, fingerprint(files))).toEqual([]);
    mkdirSync(join(home, '.docker'), { recursive: true });
    writeFileSync(files[0]!, '{"auths": {"127.0.0.1:5000": {"auth": "Y2k6eA=="}}}');
    expect(changedLoginFiles(before, fingerprint(files))).toEqual([files[0]]);
  });

  it('its teardown fails the run (exit code 1) with what to do', () => {
    const saved = {
      home: process.env.HOME,
      docker: process.env.DOCKER_CONFIG,
      code: process.exitCode,
    };
    const scratch = mkdtempSync(join(home, 'h-'));
    process.env.HOME = scratch;
    delete process.env.DOCKER_CONFIG;
    try {
      const teardown = setup();
      mkdirSync(join(scratch, '.docker'));
      writeFileSync(join(scratch, '.docker', 'config.json'), '{}');
      expect(teardown).toThrow(
        /changed .*config\.json: a test logged in .* its own DOCKER_CONFIG and REGISTRY_AUTH_FILE/,
      );
      expect(process.exitCode).toBe(1);
    } finally {
      process.env.HOME = saved.home;
      if (saved.docker !== undefined) process.env.DOCKER_CONFIG = saved.docker;
      process.exitCode = saved.code;
    }
  });
});
