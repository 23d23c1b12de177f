import { join } from 'node:path';
import { resolveVariants, UsageError, writeFileAtomic } from '@imagesmith/core';
import { defaultExec, parseImageRef } from '@imagesmith/engine';
import { buildImage } from './build';
import { planBuild } from './build-plan';
import { contextReader, requireImage, stateDir, type Session } from './engine-context';

/** Push every tag of every variant (content hash, pinned, floating); the image must be built. */
export async function pushImage(s: Session, image: string): Promise<string[]> {
  requireImage(s.ws, image);
  const pushed: string[] = [];
  for (const v of resolveVariants(s.ws, image)) {
    const plan = planBuild(s.ws, s.config, v, 'production', contextReader(s.root));
    if (!(await s.engine.inspect(plan.refs.content)))
      throw new UsageError(
        `${v.name}: ${plan.refs.content} is not built; run \`nx run ${image}:build\` first`,
      );
    for (const ref of [plan.refs.content, plan.refs.pinned, plan.refs.floating]) {
      await s.engine.tag(plan.refs.content, ref);
      const { digest } = await s.engine.push(ref);
      s.log(`pushed ${ref}${digest ? ` (${digest})` : ''}`);
      pushed.push(ref);
    }
  }
  return pushed;
}

/** The registry host of the workspace repository (registry/namespace). */
export function registryHost(repository: string): string {
  const { registry } = parseImageRef(`${repository}/x:1`);
  if (!registry)
    throw new UsageError(
      `imagesmith.json repository "${repository}" names no registry host; write host[:port]/namespace`,
    );
  return registry;
}

/** Log in with a password from the environment or stdin; it never reaches argv or the log. */
export async function login(s: Session, username: string, password: string): Promise<void> {
  if (!username)
    throw new UsageError('no registry user: pass --username or set IMAGESMITH_REGISTRY_USER');
  if (!password)
    throw new UsageError(
      'no password: set IMAGESMITH_REGISTRY_PASSWORD or pipe it to `imagesmith login --password-stdin`',
    );
  const host = registryHost(s.config.repository);
  await s.engine.login(host, username, password);
  s.log(`logged in to ${host} as ${username}`);
}

export function devContainerName(variant: string): string {
  return `imagesmith-dev-${variant}`;
}

/** Start a development container with the workspace mounted at /workspace (the docker.start of the Makefile way). */
export async function startDev(s: Session, image: string): Promise<void> {
  requireImage(s.ws, image);
  const [v] = resolveVariants(s.ws, image);
  // The development stage is built on demand (a no-op when this exact content exists).
  await buildImage(s, image, { stage: 'development' });
  const plan = planBuild(s.ws, s.config, v!, 'development', contextReader(s.root));
  const name = devContainerName(v!.name);
  await defaultExec(s.engine.binary, ['rm', '-f', name]);
  const started = await defaultExec(s.engine.binary, [
    'run',
    '-d',
    '--name',
    name,
    '--network',
    'host',
    '-v',
    `${s.root}:/workspace`,
    '-w',
    '/workspace',
    '--entrypoint',
    'sleep',
    plan.refs.content,
    'infinity',
  ]);
  if (started.exitCode !== 0) {
    throw new UsageError(
      `could not start ${name} from ${plan.refs.content}: ${started.stderr.trim()}`,
    );
  }
  s.log(
    `started ${name} from ${plan.refs.content}; enter it with: ${s.engine.binary} exec -it ${name} bash`,
  );
}

export async function stopDev(s: Session, image: string): Promise<void> {
  requireImage(s.ws, image);
  for (const v of resolveVariants(s.ws, image)) {
    const r = await defaultExec(s.engine.binary, ['rm', '-f', devContainerName(v.name)]);
    s.log(
      r.exitCode === 0
        ? `stopped ${devContainerName(v.name)}`
        : `${devContainerName(v.name)} was not running`,
    );
  }
}

/** Write the Debian and Python packages installed in the built image to <variant>/.imagesmith/manifest.md. */
export async function writeManifest(s: Session, image: string): Promise<string[]> {
  requireImage(s.ws, image);
  const files: string[] = [];
  for (const v of resolveVariants(s.ws, image)) {
    const plan = planBuild(s.ws, s.config, v, 'production', contextReader(s.root));
    const script = [
      'echo "@@debian"; dpkg-query -W -f=\'${Package}\\t${Version}\\n\' 2>/dev/null | sort',
      'echo "@@python"; PY=$(command -v python || command -v python3); "$PY" -m pip list --format=freeze 2>/dev/null | sort',
    ].join('\n');
    const r = await s.engine.run({
      image: plan.refs.content,
      entrypoint: 'sh',
      command: ['-c', script],
      network: 'none',
    });
    if (r.exitCode !== 0)
      throw new UsageError(
        `${v.name}: could not list packages in ${plan.refs.content} (exit ${r.exitCode}): ${r.stderr.trim()}; is it built?`,
      );
    const [, debian = '', python = ''] = r.stdout.split(/^@@(?:debian|python)$/m);
    const rows = (text: string, sep: RegExp) =>
      text
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => `| ${l.split(sep).join(' | ')} |`);
    const md = [
      `# Package manifest: ${v.name}`,
      '',
      `Image: \`${plan.refs.content}\``,
      '',
      '## Python packages',
      '',
      '| Package | Version |',
      '| --- | --- |',
      ...rows(python, /==/),
      '',
      '## Debian packages',
      '',
      '| Package | Version |',
      '| --- | --- |',
      ...rows(debian, /\t/),
      '',
    ].join('\n');
    const file = join(stateDir(s.root, v), 'manifest.md');
    writeFileAtomic(file, md);
    s.log(`wrote ${file}`);
    files.push(file);
  }
  return files;
}
