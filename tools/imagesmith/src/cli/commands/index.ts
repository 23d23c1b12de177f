import type { Command } from './command';
import { generateCommand } from './generate';
import { lintCommand } from './lint';
import { buildCommand, loginCommand, manifestCommand, pushCommand, startCommand, stopCommand, validateCommand } from './engine-commands';

export const commands: Record<string, Command> = {
  generate: generateCommand,
  lint: lintCommand,
  build: buildCommand,
  validate: validateCommand,
  push: pushCommand,
  login: loginCommand,
  manifest: manifestCommand,
  start: startCommand,
  stop: stopCommand,
};
