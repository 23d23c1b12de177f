import type { Command } from './command';

/**
 * Commands load on first use, so `generate` does not pay for the engine, lint or lock modules.
 * Each entry: summary for the usage text, and a loader.
 */
export const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  generate: {
    summary:
      'render Dockerfiles, pyproject.toml and requirements files (--all: also README table, dependabot.yml; --check: fail on drift)',
    load: async () => (await import('./generate')).generateCommand,
  },
  lint: {
    summary: 'lint generated Dockerfiles (all images when none named)',
    load: async () => (await import('./lint')).lintCommand,
  },
  lock: {
    summary: 'write poetry.lock for an image (parents first); --update takes newer versions',
    load: async () => (await import('./lock')).lockCommand,
  },
  refresh: {
    summary:
      'refresh every lock in dependency order and print what changed (--update for newer versions)',
    load: async () => (await import('./lock')).refreshCommand,
  },
  build: {
    summary:
      'build an image unless the image for this exact content exists (--stage development|production)',
    load: async () => (await import('./engine-commands')).buildCommand,
  },
  validate: {
    summary: "run the image's test contract (and its parents') inside the built image",
    load: async () => (await import('./engine-commands')).validateCommand,
  },
  push: {
    summary: 'push the content-hash, pinned and floating tags to the workspace registry',
    load: async () => (await import('./engine-commands')).pushCommand,
  },
  login: {
    summary:
      'log in to the workspace registry (password from IMAGESMITH_REGISTRY_PASSWORD or --password-stdin)',
    load: async () => (await import('./engine-commands')).loginCommand,
  },
  manifest: {
    summary: 'write the Debian and Python packages of the built image to a manifest',
    load: async () => (await import('./engine-commands')).manifestCommand,
  },
  start: {
    summary: 'start a development container with the workspace mounted',
    load: async () => (await import('./engine-commands')).startCommand,
  },
  stop: {
    summary: "stop the image's development container",
    load: async () => (await import('./engine-commands')).stopCommand,
  },
};
