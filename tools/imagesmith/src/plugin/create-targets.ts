import type { TargetConfiguration } from '@nx/devkit';

const CLI = 'node tools/imagesmith/bin/imagesmith.cjs';

function command(
  cmd: string,
  description: string,
  extra: Partial<TargetConfiguration> = {},
): TargetConfiguration {
  return {
    executor: 'nx:run-commands',
    options: { command: cmd, cwd: '{workspaceRoot}' },
    metadata: { description, technologies: ['docker'] },
    ...extra,
  };
}

/** Targets of one image project. Pure: (name, root) in, target map out. */
export function createImageTargets(
  name: string,
  root: string,
): Record<string, TargetConfiguration> {
  const generated = [
    `{projectRoot}/**/Dockerfile`,
    `{projectRoot}/**/pyproject.toml`,
    `{projectRoot}/**/requirements*.txt`,
  ];
  return {
    generate: command(
      `${CLI} generate ${name} --quiet`,
      `Render ${root}'s Dockerfile, pyproject.toml and requirements files from its spec, profile and templates`,
      {
        cache: true,
        // No ^generate: a child renders from its parent's spec and lock, never its parent's outputs,
        // so every image generates in parallel. Inputs: the spec, its lock, its parents' specs and
        // locks, its profile, the templates and the generator's code (all reached through project
        // dependencies), but not its own outputs.
        inputs: ['imageSource', '^imageSource', '{workspaceRoot}/imagesmith.json'],
        outputs: generated,
      },
    ),
    lint: command(
      `${CLI} lint ${name}`,
      `Lint ${root}'s generated Dockerfiles (dockerfilelint plus imagesmith's rules)`,
      {
        cache: true,
        dependsOn: ['generate'],
        inputs: ['imageSource', ...generated, '^imageSource'],
      },
    ),
    lock: command(
      `${CLI} lock ${name}`,
      `Pin every Python package of ${name} in poetry.lock (parents first)`,
      {
        cache: false,
        dependsOn: ['^lock'],
      },
    ),
    build: command(
      `${CLI} build ${name}`,
      `Build ${name} with the container engine; skipped when the image for this exact content already exists`,
      {
        cache: false,
        dependsOn: ['generate', '^build'],
        configurations: {
          production: { command: `${CLI} build ${name} --stage production` },
          development: { command: `${CLI} build ${name} --stage development` },
        },
        defaultConfiguration: 'production',
      },
    ),
    validate: command(
      `${CLI} validate ${name}`,
      `Run ${name}'s test contract (and its parents') inside the built image`,
      {
        cache: false,
        dependsOn: ['build'],
      },
    ),
    push: command(`${CLI} push ${name}`, `Push ${name}'s tags to the workspace registry`, {
      dependsOn: ['build'],
    }),
    manifest: command(
      `${CLI} manifest ${name}`,
      `Write the Debian and Python packages installed in ${name} to ${root}/.imagesmith/manifest.md`,
      { dependsOn: ['build'] },
    ),
    start: command(
      `${CLI} start ${name}`,
      `Build (if needed) and start a development container of ${name} with the workspace mounted`,
      { dependsOn: ['generate', '^build'] },
    ),
    stop: command(`${CLI} stop ${name}`, `Stop ${name}'s development container`),
  };
}
