import { requireImage, resolveVariants } from '@imagesmith/core';
import { defaultExec, EngineError } from '@imagesmith/engine';
import { buildImage } from './build';
import { planBuild } from './build-plan';
import { contextReader, type Session } from './engine-context';

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
    throw new EngineError(
      `could not start ${name} from ${plan.refs.content}: ${started.stderr.trim()}`,
      s.engine.name,
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
