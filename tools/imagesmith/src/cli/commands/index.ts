import type { Command } from './command';
import { generateCommand } from './generate';
import { lintCommand } from './lint';

export const commands: Record<string, Command> = {
  generate: generateCommand,
  lint: lintCommand,
};
