import type { Command } from './command';

/** A registry entry: the summary and positional arguments for help, and a loader. */
export interface CommandEntry {
  summary: string;
  /** The positional arguments, as the usage line shows them: `<image>`, `[images...]`. */
  args?: string;
  load: () => Promise<Command>;
}

/** Commands load on first use, so `generate` does not pay for the engine, lint or lock modules. */
export const commands: Record<string, CommandEntry> = {
  generate: {
    args: '[images...]',
    summary:
      'render Dockerfiles, pyproject.toml and requirements files from the specs (--all: also the catalogue files)',
    load: async () => (await import('./generate')).generateCommand,
  },
  lint: {
    args: '[images...]',
    summary: 'lint generated Dockerfiles (all images when none named)',
    load: async () => (await import('./lint')).lintCommand,
  },
  lock: {
    args: '<image>',
    summary: 'write poetry.lock for an image (parents first)',
    load: async () => (await import('./lock')).lockCommand,
  },
  refresh: {
    args: '[images...]',
    summary:
      'refresh the locks (all, or the named / --projects / --affected images) parents first; unreachable indexes are skipped',
    load: async () => (await import('./lock')).refreshCommand,
  },
  'pin-bases': {
    args: '[images...]',
    summary:
      'resolve the external base tags (all, or the named / --projects / --affected images) to digests in base-digests.json',
    load: async () => (await import('./pin-bases')).pinBasesCommand,
  },
  build: {
    args: '<image>',
    summary: 'build an image unless the image for this exact content exists',
    load: async () => (await import('./engine-commands')).buildCommand,
  },
  validate: {
    args: '<image>',
    summary: "run the image's test contract (and its parents') inside the built image",
    load: async () => (await import('./engine-commands')).validateCommand,
  },
  push: {
    args: '<image>',
    summary: 'push the content-hash, pinned and floating tags to the workspace registry',
    load: async () => (await import('./engine-commands')).pushCommand,
  },
  promote: {
    args: '<image>',
    summary:
      'copy the pushed image by digest (every platform, signatures, attestations) to --to <repository> once promote.requires verifies; never builds',
    load: async () => (await import('./promote')).promoteCommand,
  },
  gc: {
    args: '<image>',
    summary:
      'list (--delete: delete) the content-hash tags no pinned or floating tag names, beyond the newest --keep N',
    load: async () => (await import('./gc')).gcCommand,
  },
  verify: {
    args: '<image|reference>',
    summary:
      "check that an image's content-hash and pinned tags (or any reference) are signed by the workspace's public key",
    load: async () => (await import('./verify')).verifyCommand,
  },
  login: {
    args: '[registry]',
    summary:
      'log in to a registry, by default the workspace one (password from IMAGESMITH_REGISTRY_PASSWORD or stdin)',
    load: async () => (await import('./engine-commands')).loginCommand,
  },
  manifest: {
    args: '<image>',
    summary: 'write the Debian and Python packages of the built image to a manifest',
    load: async () => (await import('./engine-commands')).manifestCommand,
  },
  start: {
    args: '<image>',
    summary: 'start a development container with the workspace mounted',
    load: async () => (await import('./engine-commands')).startCommand,
  },
  stop: {
    args: '<image>',
    summary: "stop the image's development container",
    load: async () => (await import('./engine-commands')).stopCommand,
  },
};
