import type { ParseArgsConfig } from 'node:util';

export interface CommandInput {
  root: string;
  positionals: string[];
  values: Record<string, unknown>;
}

/** One option: its node:util parseArgs shape plus the one line `<command> --help` prints for it. */
export interface OptionSpec {
  type: 'boolean' | 'string';
  multiple?: boolean;
  short?: string;
  /** What a string option takes, for the help line: `--stage <stage>`. */
  value?: string;
  description: string;
}

/** One CLI command; its one-line summary and positional arguments live in the registry (index.ts). */
export interface Command {
  options: Record<string, OptionSpec>;
  run(input: CommandInput): Promise<number>;
}

/** The options as node:util parseArgs takes them (descriptions are for help only). */
export function parseArgsOptions(
  options: Record<string, OptionSpec>,
): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      {
        type: o.type,
        ...(o.multiple ? { multiple: true } : {}),
        ...(o.short ? { short: o.short } : {}),
      },
    ]),
  );
}

export const log = (s: string) => process.stdout.write(`${s}\n`);
