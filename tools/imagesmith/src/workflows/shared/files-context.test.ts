import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SpecError } from '@imagesmith/core';
import { writeSnapshot } from './build-snapshot';
import { readSpecFiles } from './files-context';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

function workspace(files: { src: string; dest: string }[]) {
  root = mkdtempSync(join(tmpdir(), 'files-context-'));
  const dir = join(root, 'images', 'srv');
  mkdirSync(join(dir, 'app', 'pkg'), { recursive: true });
  const spec = `description: s\nprofile: cpu\npython: "3.11"\nfiles:\n${files.map((f) => `  - src: ${f.src}\n    dest: ${f.dest}\n`).join('')}`;
  writeFileSync(join(dir, 'image.yaml'), spec);
  writeFileSync(join(dir, 'app', 'main.py'), 'print("hi")\n');
  writeFileSync(join(dir, 'app', 'pkg', 'run.sh'), '#!/bin/sh\n');
  chmodSync(join(dir, 'app', 'pkg', 'run.sh'), 0o775);
  writeFileSync(join(dir, 'app', '.env'), 'SECRET=1\n');
  return { image: 'srv', specFile: 'images/srv/image.yaml', spec: { files } } as never;
}

describe('readSpecFiles', () => {
  it('reads a folder under files/, with modes, leaving hidden entries out', () => {
    const v = workspace([{ src: 'app/', dest: '/app' }]);
    const files = readSpecFiles(root, v);
    expect(Object.keys(files)).toEqual(['files/app/main.py', 'files/app/pkg/run.sh']);
    expect(files['files/app/pkg/run.sh']!.executable).toBe(true);
    expect(files['files/app/main.py']!.executable).toBe(false);
  });

  it('refuses a symlink out of the image folder, naming the spec line', () => {
    const v = workspace([
      { src: 'app/', dest: '/app' },
      { src: 'leak', dest: '/leak' },
    ]);
    symlinkSync('/etc', join(root, 'images', 'srv', 'leak'));
    const error = (() => {
      try {
        readSpecFiles(root, v);
      } catch (e) {
        return e as SpecError;
      }
    })();
    expect(error).toBeInstanceOf(SpecError);
    expect(error!.diagnostics).toEqual([
      expect.objectContaining({
        file: 'images/srv/image.yaml',
        line: 7,
        path: 'files[1].src',
        message: 'images/srv/leak is a symlink to /etc, outside images/srv/',
      }),
    ]);
  });

  it('refuses a symlink inside a folder that points out, and a missing src', () => {
    const v = workspace([
      { src: 'app', dest: '/app' },
      { src: 'nope.py', dest: '/x' },
    ]);
    symlinkSync('/etc/passwd', join(root, 'images', 'srv', 'app', 'passwd'));
    expect(() => readSpecFiles(root, v)).toThrow(
      /images\/srv\/app\/passwd is a symlink to \/etc\/passwd[\s\S]*images\/srv\/nope\.py does not exist/,
    );
  });

  it('follows a symlink that stays inside the image folder', () => {
    const v = workspace([{ src: 'app', dest: '/app' }]);
    symlinkSync('main.py', join(root, 'images', 'srv', 'app', 'alias.py'));
    expect(readSpecFiles(root, v)['files/app/alias.py']!.bytes.toString()).toBe('print("hi")\n');
  });
});

describe('writeSnapshot', () => {
  it('writes spec files under files/ with fixed modes whatever the umask', () => {
    const dir = writeSnapshot({
      Dockerfile: 'FROM x\n',
      'files/app/run.sh': { bytes: Buffer.from('#!/bin/sh\n'), executable: true },
      'files/app/a.py': { bytes: Buffer.from('x'), executable: false },
    });
    try {
      expect(statSync(join(dir, 'files/app/run.sh')).mode & 0o777).toBe(0o755);
      expect(statSync(join(dir, 'files/app/a.py')).mode & 0o777).toBe(0o644);
      expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe('FROM x\n');
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('refuses a name that would leave the folder', () => {
    expect(() => writeSnapshot({ 'files/../x': 'y' })).toThrow(/refusing to snapshot/);
    expect(() => writeSnapshot({ '../x': 'y' })).toThrow(/refusing to snapshot/);
  });
});
