/**
 * A catalogue child with build_packages, built for real: the parent (an external base) installs a
 * pure wheel; the child needs a C compiler for an sdist. The child's builder stage installs the
 * tools and only the child's packages (under /opt/child-layer, the parent's are skipped); the
 * production stage copies that layer into the parent's venv without the tools. Uses the stand-in
 * base of .ci/make-base-images.sh and a hermetic index on 127.0.0.1 (setuptools, the sdist's build
 * backend, comes from PyPI). Skips with the reason outside CI when there is no engine.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateVariant } from '../generate/generate-variant';
import { resolveVariants } from '../catalogue/variants';
import { workspaceOf } from '../../test-support/fixtures';
import { sha256, startIndex, type PypiIndex } from '../../../../test/support/pypi-index';

const DOCKER = '/usr/bin/docker';
const CA = '/etc/ssl/certs/ca-certificates.crt';
const STAND_IN = '127.0.0.1:5000/library/python:3.11-slim-bookworm';
const TAG = `imagesmith-e2e/h1-childbuilder-${process.pid}`;
const ci = process.env.CI === 'true';

function engineProblem(): string | undefined {
  const info = spawnSync(DOCKER, ['info'], { stdio: 'ignore' });
  if (info.status !== 0) return `${DOCKER} info fails: run bash tools/setup.sh --engine`;
  const img = spawnSync(DOCKER, ['image', 'inspect', STAND_IN], { stdio: 'ignore' });
  if (img.status !== 0) return `no stand-in base ${STAND_IN}: run bash .ci/make-base-images.sh`;
  return undefined;
}
const problem = engineProblem();
if (problem && ci) throw new Error(`CI=true and ${problem}`);

const PARENT =
  'description: parent\nprofile: cpu\npython: "3.11"\npython_packages: { tinypure: "1.0" }\n';
const CHILD =
  'description: child\nprofile: cpu\nbase: parent\npython_packages: { tinyext: "1.0" }\n' +
  'build_packages: [gcc, libc6-dev, python3.11-dev]\n';

/** An sdist with one C extension: pip can only install it with a compiler. */
function sdist(dir: string): Buffer {
  const src = join(dir, 'tinyext-1.0');
  mkdirSync(src, { recursive: true });
  writeFileSync(
    join(src, 'pyproject.toml'),
    '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n',
  );
  writeFileSync(
    join(src, 'setup.py'),
    'from setuptools import Extension, setup\nsetup(name="tinyext", version="1.0", ext_modules=[Extension("tinyext", ["tinyext.c"])])\n',
  );
  writeFileSync(
    join(src, 'tinyext.c'),
    '#include <Python.h>\nstatic PyObject *answer(PyObject *s, PyObject *a) { return PyLong_FromLong(42); }\n' +
      'static PyMethodDef m[] = {{"answer", answer, METH_NOARGS, ""}, {0}};\n' +
      'static struct PyModuleDef d = {PyModuleDef_HEAD_INIT, "tinyext", 0, -1, m};\n' +
      'PyMODINIT_FUNC PyInit_tinyext(void) { return PyModule_Create(&d); }\n',
  );
  writeFileSync(join(src, 'PKG-INFO'), 'Metadata-Version: 2.1\nName: tinyext\nVersion: 1.0\n');
  const out = join(dir, 'tinyext-1.0.tar.gz');
  execFileSync('tar', [
    '--sort=name',
    '--mtime=@0',
    '--owner=0',
    '--group=0',
    '-czf',
    out,
    '-C',
    dir,
    'tinyext-1.0',
  ]);
  return execFileSync('cat', [out]);
}

let index: PypiIndex;
let work: string;

function build(name: string, files: Record<string, string>, args: string[]): string {
  const ctx = join(work, name);
  mkdirSync(ctx, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(ctx, f), text);
  const r = spawnSync(
    DOCKER,
    [
      'build',
      '--network',
      'host',
      '--build-arg',
      `PIP_INDEX_URL=${index.url}`,
      '--build-arg',
      'PIP_EXTRA_INDEX_URL=https://pypi.org/simple/',
      // As imagesmith build does: the host's CA bundle, for a TLS-intercepting proxy to PyPI.
      ...(existsSync(CA) ? ['--secret', `id=ca-bundle,src=${CA}`] : []),
      ...args,
      ctx,
    ],
    { encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: '1' } },
  );
  if (r.status !== 0) throw new Error(`docker build ${name} failed:\n${r.stdout}${r.stderr}`);
  return ctx;
}

function dockerfileOf(image: string, requirements: string): string {
  const ws = workspaceOf({ parent: PARENT, child: CHILD });
  const [v] = resolveVariants(ws, image);
  return generateVariant(v!, {
    specText: ws.specs.get(image)!.text,
    templates: ws.templates,
    parentRef: `${TAG}:parent`,
    requirements: { main: requirements, dev: '', mainCount: 1, devCount: 0 },
  }).find((f) => f.path.endsWith('Dockerfile'))!.content;
}

const run = (target: string, script: string) =>
  execFileSync(
    DOCKER,
    ['run', '--rm', '--network', 'none', '--entrypoint', 'bash', target, '-c', script],
    {
      encoding: 'utf8',
    },
  );

describe.skipIf(problem !== undefined)(
  `a catalogue child with build_packages (${problem ?? 'engine ready'})`,
  () => {
    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'imagesmith-h1-child-'));
      index = await startIndex([{ name: 'tinypure', version: '1.0' }]);
      const tarball = sdist(work);
      writeFileSync(join(index.dir, 'files', 'tinyext-1.0.tar.gz'), tarball);
      mkdirSync(join(index.dir, 'simple', 'tinyext'), { recursive: true });
      writeFileSync(
        join(index.dir, 'simple', 'tinyext', 'index.html'),
        `<!DOCTYPE html>\n<html><body>\n<a href="../../files/tinyext-1.0.tar.gz#sha256=${sha256(tarball)}">tinyext-1.0.tar.gz</a>\n</body></html>\n`,
      );
      const pure = `tinypure==1.0 \\\n    --hash=sha256:${sha256(execFileSync('cat', [index.wheelPath('tinypure', '1.0')]))}\n`;
      const ext = `tinyext==1.0 \\\n    --hash=sha256:${sha256(tarball)}\n`;
      build('parent', { Dockerfile: dockerfileOf('parent', pure), 'requirements.txt': pure }, [
        '--build-arg',
        `BASE_IMAGE=${STAND_IN}`,
        '-t',
        `${TAG}:parent`,
      ]);
      // The child's lock holds the parent's packages too: pip must skip tinypure, not copy it again.
      const childReqs = `${pure}${ext}`;
      const files = { Dockerfile: dockerfileOf('child', childReqs), 'requirements.txt': childReqs };
      build('child', files, ['--target', 'builder', '-t', `${TAG}:builder`]);
      build('child', files, ['-t', `${TAG}:child`]);
    }, 900_000);

    afterAll(async () => {
      spawnSync(DOCKER, ['rmi', '-f', `${TAG}:parent`, `${TAG}:builder`, `${TAG}:child`], {
        stdio: 'ignore',
      });
      await index?.stop();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('builds only the child package into the layer, skipping what the parent installed', () => {
      const layer = run(
        `${TAG}:builder`,
        'cd /opt/child-layer && find . -maxdepth 4 -name "tiny*" | sort',
      );
      expect(layer).toMatch(/tinyext/);
      expect(layer).not.toMatch(/tinypure/);
    });

    it('runs the compiled package next to the parent one, as the runtime user, without the compiler', () => {
      const out = run(
        `${TAG}:child`,
        'python -c "import tinyext, tinypure; print(tinyext.answer())"; id -u; stat -c %U /opt/venv /opt/venv/lib; find /opt/venv ! -user root | wc -l; touch /opt/venv/x 2>/dev/null || echo read-only; command -v gcc || echo no-gcc; ls /opt/venv/lib/python3.11/site-packages | grep -c "^tinypure.*dist-info$"',
      );
      expect(out.split('\n')).toEqual([
        '42',
        '1000',
        'root',
        'root',
        '0', // no file of the parent's or the child's packages owned by another user
        'read-only',
        'no-gcc',
        '1',
        '',
      ]);
    });

    it('makes production the default target, with tini as PID 1', () => {
      const entry = execFileSync(
        DOCKER,
        ['image', 'inspect', '-f', '{{json .Config.Entrypoint}} {{.Config.Env}}', `${TAG}:child`],
        { encoding: 'utf8' },
      );
      expect(entry).toMatch(/^\["\/usr\/bin\/tini","--"\] .*ENVIRONMENT=production/);
      expect(
        execFileSync(
          DOCKER,
          ['run', '--rm', '--network', 'none', `${TAG}:child`, 'cat', '/proc/1/comm'],
          { encoding: 'utf8' },
        ).trim(),
      ).toBe('tini');
    });
  },
);
