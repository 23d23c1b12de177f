/** What users would pick instead of imagesmith: the Makefile way, the bake equivalent, the floor. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REGISTRY } from '../engine-fixture';
import { dk, secs } from './run';
import { CA, type Case, LEAF, PARENT, repos, type Sample, TREE, work } from './settings';

function dockerfileArgs(root: string, image: string, baseImage: string): string[] {
  const argv = [
    '--network',
    'host',
    '-f',
    join(root, 'images', image, 'Dockerfile'),
    '--target',
    'production',
    '--build-arg',
    `BASE_IMAGE=${baseImage}`,
  ];
  if (CA) argv.push('--secret', `id=ca-bundle,src=${CA}`);
  return argv;
}

/** The stand-in base the parent's Dockerfile names (ARG BASE_IMAGE=...), through the mirror. */
function externalBase(root: string): string {
  const text = readFileSync(join(root, 'images', PARENT, 'Dockerfile'), 'utf8');
  const ref = /^ARG BASE_IMAGE=(\S+)/m.exec(text)![1]!;
  return `${REGISTRY}/${ref.includes('/') ? ref : `library/${ref}`}`;
}

/** The Makefile way: `docker build` of every image in order (cache-from: inline), then push. */
export function makefile(root: string, repo: string, cacheFrom: boolean): Sample {
  const build = secs(() => {
    for (const image of TREE.order) {
      const from = image === PARENT ? externalBase(root) : `${repo}/${PARENT}:latest`;
      const argv = ['build', ...dockerfileArgs(root, image, from), '-t', `${repo}/${image}:latest`];
      if (cacheFrom)
        argv.push(
          '--build-arg',
          'BUILDKIT_INLINE_CACHE=1',
          '--cache-from',
          `${repo}/${image}:latest`,
        );
      dk(...argv, join(root, 'images', image));
    }
  });
  const push = secs(() => {
    for (const image of TREE.order) dk('push', '-q', `${repo}/${image}:latest`);
  });
  return { parts: { build, push }, total: build + push, builds: TREE.order.length };
}

/** What bake with a registry cache does, target by target: `docker buildx build` pushing. */
export function bakeEquivalent(root: string, repo: string): Sample {
  const build = secs(() => {
    for (const image of TREE.order) {
      const from = image === PARENT ? externalBase(root) : `${repo}/${PARENT}:latest`;
      dk(
        'buildx',
        'build',
        ...dockerfileArgs(root, image, from),
        '--cache-from',
        `type=registry,ref=${repo}/${image}:buildcache`,
        '--cache-to',
        `type=registry,ref=${repo}/${image}:buildcache,mode=max`,
        '--provenance=false',
        '--output',
        `type=image,name=${repo}/${image}:latest,push=true`,
        join(root, 'images', image),
      );
    }
  });
  return { parts: { 'build+push': build }, total: build, builds: TREE.order.length };
}

let floorRun = 0;
/**
 * The floor: what any tool must do at least, each part alone. Pull the parent (its layers are the
 * child's FROM); (b) run the child's changed install step in a container of the parent and commit
 * the result as a layer; (a) has no changed step: its new image differs in the config only (made
 * with a one-line LABEL build, not timed); push what is new.
 */
export function floor(root: string, c: Case, parentRef: string): Sample {
  const repo = repos.floor;
  const pull = secs(() => dk('pull', '-q', parentRef));
  const tag = `${repo}/${LEAF}:r${++floorRun}`;
  let step = 0;
  if (c === 'b') {
    const name = `bench-floor-${process.pid}-${floorRun}`;
    const reqs = join(root, 'images', LEAF, 'requirements.txt');
    step = secs(() => {
      const argv = [
        'run',
        '--name',
        name,
        '--network',
        'host',
        '--user',
        'root',
        '-v',
        `${reqs}:/tmp/requirements.txt:ro`,
      ];
      if (CA)
        argv.push('-v', `${CA}:/run/secrets/ca-bundle:ro`, '-e', 'PIP_CERT=/run/secrets/ca-bundle');
      dk(
        ...argv,
        parentRef,
        '/opt/venv/bin/pip',
        'install',
        '-q',
        '--require-hashes',
        '--no-deps',
        '-r',
        '/tmp/requirements.txt',
      );
      dk('commit', name, tag);
    });
    dk('rm', name);
  } else {
    const dir = join(work, `floor-a-${floorRun}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'Dockerfile'),
      `FROM ${repo}/${LEAF}:latest\nLABEL bench.description="${floorRun}"\n`,
    );
    dk('build', '--network', 'host', '-q', '-t', tag, dir);
  }
  const push = secs(() => dk('push', '-q', tag));
  dk('tag', tag, `${repo}/${LEAF}:latest`);
  dk('push', '-q', `${repo}/${LEAF}:latest`);
  return { parts: { pull, step, push }, total: pull + step + push, builds: 0 };
}
