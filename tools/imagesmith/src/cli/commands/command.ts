import type { ParseArgsConfig } from 'node:util';

export interface CommandInput {
  root: string;
  positionals: string[];
  values: Record<string, unknown>;
}

export interface Command {
  summary: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(input: CommandInput): Promise<number>;
}

export const log = (s: string) => process.stdout.write(`${s}\n`);
