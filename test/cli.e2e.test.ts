import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTempWorkspace,
  removeWorkspace,
  REPO,
  writeFile,
} from '../tools/testkit/temp-workspace';

const CLI = join(REPO, 'tools/imagesmith/bin/imagesmith.cjs');
let root: string;

function cli(...args: string[]): { code: number; out: string } {
  return cliWith({}, ...args);
}

function cliWith(env: Record<string, string>, ...args: string[]): { code: number; out: string } {
  try {
    return {
      code: 0,
      out: execFileSync('node', [CLI, ...args], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, out: `${e.stdout}${e.stderr}` };
  }
}

function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const f of readdirSync(join(root, dir))) {
      const p = `${dir}/${f}`;
      if (statSync(join(root, p)).isDirectory()) walk(p);
      else out[p] = readFileSync(join(root, p), 'utf8');
    }
  };
  walk('images');
  return out;
}

beforeAll(() => {
  root = createTempWorkspace({
    good: 'description: good\nprofile: cpu\npython: "3.11"\n',
    child: 'description: child\nprofile: cpu\nbase: good\n',
  });
});
afterAll(() => removeWorkspace(root));

describe('imagesmith CLI', () => {
  it('generates, then finds nothing to change (byte-stable)', () => {
    expect(cli('generate', '--all').code).toBe(0);
    const first = snapshot();
    expect(cli('generate', '--all').out).toMatch(/0 written/);
    expect(snapshot()).toEqual(first);
    expect(cli('generate', '--all', '--check').code).toBe(0);
  });

  it.each([
    ['a user registry', { IMAGESMITH_REPOSITORY: 'registry.example/acme/images' }],
    ['empty variables', { IMAGESMITH_REPOSITORY: '', IMAGESMITH_REGISTRY_MIRROR: '' }],
    [
      'mirrors',
      {
        IMAGESMITH_REGISTRY_MIRROR: 'mirror.example:5000',
        IMAGESMITH_PIP_INDEX: 'https://pypi.mirror.example/simple/',
        IMAGESMITH_APT_MIRROR: 'http://apt.mirror.example',
      },
    ],
  ])('generated files do not change with %s', (_name, env) => {
    expect(cli('generate', '--all').code).toBe(0);
    const before = snapshot();
    expect(cliWith(env, 'generate', '--all', '--check')).toMatchObject({ code: 0 });
    expect(cliWith(env, 'generate', '--all').out).toMatch(/0 written/);
    expect(snapshot()).toEqual(before);
  });

  it('reports every invalid spec at once with file:line, exits non-zero and changes no file', () => {
    const before = snapshot();
    writeFile(
      root,
      'images/good/image.yaml',
      'description: good\nprofile: cpu\npython: "3.11"\nenv: { A: "changed" }\n',
    );
    writeFile(
      root,
      'images/bad/image.yaml',
      'description: bad\nprofile: cpuu\npython: "3.11"\nsystem_pkgs: [curl]\n',
    );
    writeFile(root, 'images/worse/image.yaml', 'description: [\n');
    const r = cli('generate', '--all');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/images\/bad\/image\.yaml:2:\d+: profile: unknown profile "cpuu"/);
    expect(r.out).toMatch(
      /images\/bad\/image\.yaml:4:1: system_pkgs: unknown field "system_pkgs"\n\s+hint: did you mean "system_packages"/,
    );
    expect(r.out).toMatch(/images\/worse\/image\.yaml:\d+:\d+: invalid YAML/);
    const after = snapshot();
    // The valid spec's Dockerfile was not regenerated either.
    expect(after['images/good/Dockerfile']).toBe(before['images/good/Dockerfile']);
    expect(
      Object.keys(after)
        .filter((f) => f.endsWith('Dockerfile'))
        .sort(),
    ).toEqual(
      Object.keys(before)
        .filter((f) => f.endsWith('Dockerfile'))
        .sort(),
    );
  });

  it("a broken spec of another image does not fail one image's generate or lint", () => {
    // good and child are valid; bad and worse (written above) are not.
    const r = cli('generate', 'child');
    expect(r).toMatchObject({ code: 0 });
    expect(cli('lint', 'child').code).toBe(0);
    // The parent's spec is part of the child's inputs: breaking it fails the child.
    writeFile(root, 'images/good/image.yaml', 'description: good\nprofile: cpu\n');
    const broken = cli('generate', 'child');
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/images\/good\/image\.yaml/);
    expect(broken.out).not.toMatch(/images\/bad\//);
    writeFile(
      root,
      'images/good/image.yaml',
      'description: good\nprofile: cpu\npython: "3.11"\nenv: { A: "changed" }\n',
    );
  });

  it('reports drift with --check and says how to fix it', () => {
    writeFile(root, 'images/bad/image.yaml', 'description: bad\nprofile: cpu\npython: "3.11"\n');
    writeFile(
      root,
      'images/worse/image.yaml',
      'description: worse\nprofile: cpu\npython: "3.11"\n',
    );
    const r = cli('generate', '--all', '--check');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/images\/good\/Dockerfile/);
    expect(r.out).toMatch(/run `nx sync` \(or `npm run generate`\)/);
  });

  it('prints usage, version and every option of every command', () => {
    const help = cli('--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^usage: imagesmith <command>/);
    expect(cli().code).toBe(2);
    const pkg = JSON.parse(readFileSync(join(REPO, 'tools/imagesmith/package.json'), 'utf8'));
    expect(cli('--version')).toEqual({ code: 0, out: `${pkg.version}\n` });
    const flags: Record<string, string[]> = {
      generate: ['--all', '--check', '--quiet'],
      build: ['--stage <stage>', '--secret <VAR>'],
      login: ['--username <user>', '--password-stdin'],
      lock: ['--update'],
    };
    for (const [command, options] of Object.entries(flags)) {
      const r = cli(command, '--help');
      expect(r.code).toBe(0);
      for (const option of options) expect(r.out).toMatch(new RegExp(`^ +${option} +\\S`, 'm'));
    }
    expect(cli('validate', 'good', '--help').out).toMatch(/^usage: imagesmith validate <image>/);
  });

  it('rejects an unusable imagesmith.json or IMAGESMITH_* setting before anything runs', () => {
    writeFile(
      root,
      'imagesmith.json',
      '{\n  "repositry": "127.0.0.1:5000/acme",\n  "engine": "dockr"\n}\n',
    );
    const file = cli('login');
    expect(file.code).toBe(2);
    expect(file.out).toMatch(
      /imagesmith\.json:2:\d+: repositry: unknown field[^\n]*\n\s+hint: did you mean "repository"/,
    );
    expect(file.out).toMatch(
      /imagesmith\.json:3:\d+: engine: must be one of docker, podman, buildah/,
    );
    expect(file.out).not.toMatch(/IMAGESMITH_ENGINE|internal error/);
    writeFile(root, 'imagesmith.json', '{"repository": 5}\n');
    expect(cli('login')).toMatchObject({ code: 2, out: expect.stringMatching(/must be string/) });
    writeFile(root, 'imagesmith.json', '{}\n');
    const env = cliWith({ IMAGESMITH_REPOSITORY: '127.0.0.1:5001/REL' }, 'build', 'good');
    expect(env.code).toBe(2);
    expect(env.out).toMatch(/IMAGESMITH_REPOSITORY: "127\.0\.0\.1:5001\/REL" is not a valid/);
    expect(env.out).toMatch(/write IMAGESMITH_REPOSITORY=127\.0\.0\.1:5001\/rel/);
    expect(env.out).not.toMatch(/building/);
  });

  it('rejects unknown commands, options and images with usage', () => {
    expect(cli('frobnicate').out).toMatch(/unknown command "frobnicate"/);
    expect(cli('genrate').out).toMatch(/unknown command "genrate" \(did you mean "generate"\?\)/);
    expect(cli('generate', '--bogus').code).toBe(2);
    expect(cli('generate', 'nope').out).toMatch(/unknown image "nope"/);
    expect(cli('generate', 'godo').out).toMatch(/did you mean "good"/);
  });

  it('build: a wrong --output, an empty --builder and a platform outside the spec are usage errors', () => {
    expect(cli('generate', '--all').code).toBe(0);
    const wrong = cli('build', 'good', '--output', 'regstry');
    expect(wrong).toMatchObject({ code: 2 });
    expect(wrong.out).toMatch(/--output must be engine or registry, not "regstry"/);
    expect(cli('build', 'good', '--builder=').out).toMatch(/--builder needs a value/);
    const env = cliWith({ IMAGESMITH_BUILD_OUTPUT: 'load' }, 'build', 'good');
    expect(env.code).toBe(2);
    expect(env.out).toMatch(/IMAGESMITH_BUILD_OUTPUT: "load" is not a build output/);
    const platform = cli('build', 'good', '--platform', 'linux/s390x');
    expect(platform.code).toBe(2);
    expect(platform.out).toMatch(/images\/good\/image\.yaml `platforms`/);
    expect(cli('build', 'good', '--platform', 's390x').out).toMatch(/write os\/arch/);
  });

  it('build: a builder that does not exist is named, never a fall back to another engine', () => {
    const r = cliWith(
      { IMAGESMITH_BUILDER: 'no-such-builder', IMAGESMITH_ENGINE: '' },
      'build',
      'good',
    );
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBe(70);
    expect(r.out).toMatch(/no-such-builder/);
    expect(r.out).not.toMatch(/buildah/);
  });
});
