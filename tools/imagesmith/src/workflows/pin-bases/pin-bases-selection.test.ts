import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkspace, renderBaseDigests } from '@imagesmith/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  classifyBaseProblem,
  describeBaseChanges,
  pinBases,
  type DigestResolver,
} from './pin-bases';

const REPO = join(__dirname, '../../../../..');
const OLD = `sha256:${'0'.repeat(64)}`;
const NEW = `sha256:${'1'.repeat(64)}`;
let root = '';

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'imagesmith-pin-'));
  for (const dir of ['profiles', 'templates'])
    cpSync(join(REPO, dir), join(root, dir), { recursive: true });
  const specs: Record<string, string> = {
    'acme-base': 'description: a\nprofile: cpu\npython: "3.11"\nbase: python:3.11-slim-bookworm\n',
    'acme-child': 'description: c\nprofile: cpu\nbase: acme-base\n',
    dask: 'description: d\nprofile: cpu\npython: "3.11"\nbase: daskdev/dask:2024.1.0\n',
  };
  for (const [name, text] of Object.entries(specs)) {
    mkdirSync(join(root, 'images', name), { recursive: true });
    writeFileSync(join(root, 'images', name, 'image.yaml'), text);
  }
  writeFileSync(
    join(root, 'base-digests.json'),
    renderBaseDigests({ 'daskdev/dask:2024.1.0': OLD, 'python:3.11-slim-bookworm': OLD }),
  );
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const digests = () => loadWorkspace(root).baseDigests ?? {};

/** The registry, faked: python resolves, Docker Hub's daskdev cannot be reached. */
const resolver: DigestResolver = async (ref) =>
  ref.includes('daskdev')
    ? { problem: 'registry-1.docker.io could not be reached (getaddrinfo ENOTFOUND)' }
    : { digest: NEW };

describe('pinBases on chosen images', () => {
  it("resolves only the named images' base tags and leaves the others as recorded", async () => {
    const asked: string[] = [];
    const result = await pinBases(root, {
      images: ['acme-base'],
      resolve: async (ref) => (asked.push(ref), resolver(ref)),
      env: {},
    });
    expect(asked).toEqual(['python:3.11-slim-bookworm']);
    expect(result.outcomes.map((o) => [o.name, o.state])).toEqual([
      ['python:3.11-slim-bookworm', 'done'],
    ]);
    expect(digests()).toEqual({ 'daskdev/dask:2024.1.0': OLD, 'python:3.11-slim-bookworm': NEW });
  });

  it('skips an unreachable base with its reason, keeps its digest and pins the rest', async () => {
    const result = await pinBases(root, { resolve: resolver, env: {} });
    expect(result.outcomes).toEqual([
      {
        name: 'daskdev/dask:2024.1.0',
        state: 'skipped',
        detail:
          'registry-1.docker.io could not be reached (getaddrinfo ENOTFOUND); recorded digest kept (used by dask)',
      },
      expect.objectContaining({ name: 'python:3.11-slim-bookworm', state: 'done' }),
    ]);
    expect(digests()['python:3.11-slim-bookworm']).toBe(NEW);
    expect(digests()['daskdev/dask:2024.1.0']).toBe(OLD);
    expect(describeBaseChanges(result).join('\n')).toContain(
      '| daskdev/dask:2024.1.0 | skipped | registry-1.docker.io could not be reached',
    );
  });

  it('says a named child has no external base of its own', async () => {
    const result = await pinBases(root, { images: ['acme-child'], resolve: resolver, env: {} });
    expect(result.noExternalBase).toEqual(['acme-child']);
    expect(result.outcomes).toEqual([]);
  });
});

describe('classifyBaseProblem', () => {
  it('skips an unreachable registry, and a tag the mirror does not carry', () => {
    expect(classifyBaseProblem('docker.io could not be reached (ETIMEDOUT)', undefined)).toBe(
      'skipped',
    );
    expect(
      classifyBaseProblem('127.0.0.1:5000 has no daskdev/dask:2024.1.0', '127.0.0.1:5000'),
    ).toBe('skipped');
  });

  it('fails a tag the origin registry does not have, a refused login or a registry error', () => {
    expect(classifyBaseProblem('docker.io has no library/python:3.99', undefined)).toBe('failed');
    expect(classifyBaseProblem('nvcr.io refused the login (401)', undefined)).toBe('failed');
    expect(classifyBaseProblem('docker.io answered 500 Internal Server Error', undefined)).toBe(
      'failed',
    );
  });
});
