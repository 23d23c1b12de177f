/**
 * Benchmark: size of a generated image versus a naive Dockerfile with the same content (one RUN
 * per requirement, no cleanup, single stage). Run: npx tsx tools/bench/image-size.ts
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFixture, docker, machine, nx, pruneEngine, REGISTRY } from './engine-fixture';

const { root, repo } = createFixture('size');
const naiveDir = mkdtempSync(join(tmpdir(), 'imagesmith-naive-'));
try {
  console.log(`machine: ${machine()}`);
  nx(root, 'run-many', '-t', 'lock', '--projects=base');
  nx(root, 'run', 'base:build');
  const ours = JSON.parse(
    readFileSync(join(root, 'images/base/.imagesmith/build-production.json'), 'utf8'),
  ).reference as string;
  const pins =
    readFileSync(join(root, 'images/base/requirements.txt'), 'utf8').match(
      /^[a-z0-9-]+==[^ ;]+/gm,
    ) ?? [];
  writeFileSync(
    join(naiveDir, 'Dockerfile'),
    [
      `FROM ${REGISTRY}/library/python:3.11-slim-bookworm`,
      'RUN apt-get update',
      'RUN apt-get install -y ca-certificates',
      'RUN apt-get install -y curl',
      'RUN apt-get install -y git',
      'RUN python3 -m venv /opt/venv',
      ...pins.map(
        (p) =>
          `RUN --mount=type=secret,id=ca-bundle PIP_CERT=/run/secrets/ca-bundle /opt/venv/bin/pip install ${p}`,
      ),
      'ENV PATH=/opt/venv/bin:$PATH',
      '',
    ].join('\n'),
  );
  const ca = process.env.PIP_CERT;
  docker(
    'build',
    '--network',
    'host',
    '-t',
    'makefile/naive:size',
    ...(ca ? ['--secret', `id=ca-bundle,src=${ca}`] : []),
    naiveDir,
  );
  const size = (ref: string) =>
    Number(docker('image', 'inspect', '--format', '{{.Size}}', ref).trim()) / 1e6;
  const a = size(ours);
  const b = size('makefile/naive:size');
  console.log(`generated (multi-stage, cache mounts, lists removed): ${a.toFixed(1)} MB`);
  console.log(`naive (one RUN per requirement, no cleanup):          ${b.toFixed(1)} MB`);
  console.log(`saving: ${(b - a).toFixed(1)} MB (${(((b - a) / b) * 100).toFixed(0)}%)`);
} finally {
  pruneEngine(repo);
  rmSync(root, { recursive: true, force: true });
  rmSync(naiveDir, { recursive: true, force: true });
}
