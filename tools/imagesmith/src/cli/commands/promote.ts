import { UsageError } from '@imagesmith/core';
import {
  engineCredentials,
  listTags,
  registryTimeoutMs,
  type EngineName,
} from '@imagesmith/engine';
import { copyWithAttachments } from '../../workflows/promote/oras-copy';
import { promoteImage } from '../../workflows/promote/promote';
import { cosignRequirementChecks } from '../../workflows/promote/requirement-checks';
import { planImage, workspaceRegistry } from '../../workflows/promote/workspace-plans';
import { log, type Command } from './command';

export const promoteCommand: Command = {
  options: {
    to: {
      type: 'string',
      value: 'repository',
      description:
        'the repository to promote to (registry[:port]/namespace); the image keeps its name and tags there (required)',
    },
  },
  async run({ root, positionals, values }) {
    if (positionals.length !== 1)
      throw new UsageError(
        'name exactly one image to promote, e.g. `imagesmith promote python-base --to 127.0.0.1:5000/prod`',
      );
    const to = values.to as string | undefined;
    if (to === undefined)
      throw new UsageError(
        'promote needs --to <repository>, e.g. `imagesmith promote python-base --to 127.0.0.1:5000/prod`',
      );
    const work = planImage(root, positionals[0]!);
    const env = process.env;
    await promoteImage(work, to, {
      registry: workspaceRegistry(work.config, env),
      check: cosignRequirementChecks(root, work.config, env),
      copy: async (src, dst) => {
        await copyWithAttachments(
          src,
          dst,
          (repository) =>
            listTags(repository, {
              timeoutMs: registryTimeoutMs(env),
              credentials: engineCredentials((work.config.engine ?? 'docker') as EngineName, env),
            }),
          env,
          undefined,
          // buildah and podman keep their login where REGISTRY_AUTH_FILE says; docker's is DOCKER_CONFIG's.
          ['buildah', 'podman'].includes(work.config.engine ?? '')
            ? env.REGISTRY_AUTH_FILE
            : undefined,
        );
      },
      log,
    });
    return 0;
  },
};
