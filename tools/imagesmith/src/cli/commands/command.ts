import type { ParseArgsConfig } from 'node:util';

export interface CommandInput {
  root: string;
  positionals: string[];
  values: Record<string, unknown>;
}

/** One CLI command; its one-line summary lives in the registry (index.ts). */
export interface Command {
  options: NonNullable<ParseArgsConfig['options']>;
  run(input: CommandInput): Promise<number>;
}

export const log = (s: string) => process.stdout.write(`${s}\n`);
