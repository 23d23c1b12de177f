import { readFileSync } from 'node:fs';
import { plural, UsageError } from '@imagesmith/core';
import { buildImage } from '../../workflows/build/build';
import { openSession } from '../../workflows/shared/engine-context';
import { startDev, stopDev } from '../../workflows/dev/dev-container';
import { login } from '../../workflows/push/login';
import { writeManifest } from '../../workflows/manifest/manifest';
import { isVerbose, stdoutOutput, VERBOSE_OPTION } from '../../workflows/shared/output';
import { pushImage } from '../../workflows/push/push';
import { validateImage } from '../../workflows/validate/validate';
import { hostExecutorOptions, validateOnHostCommand } from './validate-host';
import { log, type Command } from './command';

function one(positionals: string[], what: string): string {
  if (positionals.length !== 1)
    throw new UsageError(
      `name exactly one image to ${what}, e.g. \`imagesmith ${what} python-base\``,
    );
  return positionals[0] as string;
}

export const buildCommand: Command = {
  options: {
    stage: {
      type: 'string',
      value: 'stage',
      description: 'the Dockerfile stage to build: production (default) or development',
    },
    secret: {
      type: 'string',
      multiple: true,
      value: 'VAR',
      description: 'pass environment variable VAR as a build secret (or IMAGESMITH_BUILD_SECRETS)',
    },
    builder: {
      type: 'string',
      value: 'name',
      description:
        'the buildx builder to build with (`docker buildx ls`; or IMAGESMITH_BUILDER, "builder" in imagesmith.json)',
    },
    output: {
      type: 'string',
      value: 'engine|registry',
      description:
        'engine: load the image into the local engine; registry: push it (and its build cache) from the builder, loading nothing (or IMAGESMITH_BUILD_OUTPUT)',
    },
    platform: {
      type: 'string',
      value: 'os/arch',
      description: "build one of the spec's platforms alone (its tags end in -<arch>)",
    },
    verbose: VERBOSE_OPTION,
  },
  async run({ root, positionals, values }) {
    // The command line wins over imagesmith.json and the environment; checked with them below.
    for (const [option, variable] of [
      ['builder', 'IMAGESMITH_BUILDER'],
      ['output', 'IMAGESMITH_BUILD_OUTPUT'],
    ] as const) {
      const value = values[option] as string | undefined;
      if (value !== undefined && !value.trim())
        throw new UsageError(`--${option} needs a value (or leave it out)`);
      if (option === 'output' && value !== undefined && !['engine', 'registry'].includes(value))
        throw new UsageError(`--output must be engine or registry, not "${value}"`);
      if (value !== undefined) process.env[variable] = value;
    }
    const platform = values.platform as string | undefined;
    if (platform !== undefined && !/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/i.test(platform.trim()))
      throw new UsageError(
        `--platform "${platform}" is not a platform: write os/arch, e.g. linux/arm64`,
      );
    const stage = (values.stage as string | undefined) ?? 'production';
    if (stage !== 'production' && stage !== 'development')
      throw new UsageError(`--stage must be production or development, not "${stage}"`);
    const image = one(positionals, 'build');
    // Settings first, then locks, then the engine: an unlocked image or parent cannot be built.
    const s = await openSession(root, undefined, [image], stdoutOutput(isVerbose(values)), {
      requireLocked: image,
    });
    const secretEnv = [
      ...((values.secret as string[] | undefined) ?? []),
      ...(process.env.IMAGESMITH_BUILD_SECRETS ?? '').split(',').filter(Boolean),
    ];
    // buildImage prints each image's line itself.
    await buildImage(s, image, { stage, secretEnv, platform });
    return 0;
  },
};

export const validateCommand: Command = {
  options: {
    verbose: VERBOSE_OPTION,
    executor: {
      type: 'string',
      value: 'container|host',
      description:
        'container (default): each check in a fresh container of the built image; host: imports and commands as processes of this machine, no engine or network needed',
    },
    requires: {
      type: 'string',
      value: 'hardware',
      description:
        'with --executor host: run only the checks that require this hardware (gpu, neuron)',
    },
  },
  async run({ root, positionals, values }) {
    const executor = hostExecutorOptions(values);
    const image = one(positionals, 'validate');
    // The host executor needs no engine: it must not look for one (a GPU node may have none).
    if (executor.host)
      return validateOnHostCommand(root, image, executor.requires, isVerbose(values));
    const s = await openSession(root, undefined, [image], stdoutOutput(isVerbose(values)));
    const summaries = await validateImage(s, image);
    const total = (k: 'passed' | 'failed' | 'skipped') => summaries.reduce((n, x) => n + x[k], 0);
    // validateImage printed a line per variant; a matrix image gets their sum too.
    if (summaries.length > 1)
      log(
        `${plural(summaries.length, 'variant')}: ${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped`,
      );
    return total('failed') > 0 ? 1 : 0;
  },
};

export const pushCommand: Command = {
  options: {},
  async run({ root, positionals }) {
    const image = one(positionals, 'push');
    await pushImage(await openSession(root, undefined, [image]), image);
    return 0;
  },
};

export const loginCommand: Command = {
  options: {
    username: {
      type: 'string',
      value: 'user',
      description: 'registry user (default: IMAGESMITH_REGISTRY_USER)',
    },
    'password-stdin': {
      type: 'boolean',
      description: 'read the password from stdin (default: IMAGESMITH_REGISTRY_PASSWORD)',
    },
  },
  async run({ root, values, positionals }) {
    if (positionals.length > 1)
      throw new UsageError(`login takes at most one registry, got ${positionals.join(' ')}`);
    const password = values['password-stdin']
      ? readFileSync(0, 'utf8').replace(/\r?\n$/, '')
      : (process.env.IMAGESMITH_REGISTRY_PASSWORD ?? '');
    const username =
      (values.username as string | undefined) ?? process.env.IMAGESMITH_REGISTRY_USER ?? '';
    await login(await openSession(root), username, password, positionals[0]);
    return 0;
  },
};

export const startCommand: Command = {
  options: { verbose: VERBOSE_OPTION },
  async run({ root, positionals, values }) {
    const image = one(positionals, 'start');
    // Builds the development stage first when needed: progress and log as for build.
    const s = await openSession(root, undefined, [image], stdoutOutput(isVerbose(values)));
    await startDev(s, image);
    return 0;
  },
};

export const stopCommand: Command = {
  options: {},
  async run({ root, positionals }) {
    const image = one(positionals, 'stop');
    await stopDev(await openSession(root, undefined, [image]), image);
    return 0;
  },
};

export const manifestCommand: Command = {
  options: {},
  async run({ root, positionals }) {
    const image = one(positionals, 'manifest');
    await writeManifest(await openSession(root, undefined, [image]), image);
    return 0;
  },
};
