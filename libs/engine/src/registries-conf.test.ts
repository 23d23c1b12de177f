import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registriesConfEnv } from './registries-conf';

const dir = mkdtempSync(join(tmpdir(), 'imagesmith-regconf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('registriesConfEnv', () => {
  it('marks the loopback registry of a FROM ${BASE_IMAGE} build arg insecure', () => {
    const dockerfile = join(dir, 'Dockerfile');
    writeFileSync(dockerfile, 'ARG BASE_IMAGE=python:3.11-slim\nFROM ${BASE_IMAGE} AS base\n');
    const none = join(dir, 'none.conf');
    expect(registriesConfEnv(dockerfile, dir, { CONTAINERS_REGISTRIES_CONF: none })).toEqual({});
    const env = registriesConfEnv(
      dockerfile,
      dir,
      { CONTAINERS_REGISTRIES_CONF: none },
      {
        BASE_IMAGE: '127.0.0.1:5000/library/python:3.11-slim-bookworm',
        PIP_INDEX_URL: 'https://pypi.example.com/simple',
        OTHER: 'registry.example.com/x:1',
      },
    );
    const conf = readFileSync(env.CONTAINERS_REGISTRIES_CONF!, 'utf8');
    expect(conf).toContain('location = "127.0.0.1:5000"\ninsecure = true');
    expect(conf).not.toContain('registry.example.com');
  });
});
