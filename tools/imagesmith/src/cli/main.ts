import { parseArgs } from 'node:util';
import { nearestImage, UsageError } from '@imagesmith/core';
import pkg from '../../package.json';
import { commands } from './commands';
import { parseArgsOptions } from './commands/command';
import { handleError } from './handle-error';
import { formatCommandHelp, formatUsage } from './help';

const isHelp = (arg: string) => arg === '--help' || arg === '-h';

/**
 * Entry point: parse, dispatch, and map every error to a message and an exit code.
 * `--help` prints to stdout and exits 0; a bare `imagesmith` prints the same usage to stderr and
 * exits 2, like any other wrong usage.
 */
export async function run(
  argv: string[],
  root: string = process.env.IMAGESMITH_ROOT ?? process.cwd(),
): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined) {
      process.stderr.write(`${formatUsage(commands)}\n`);
      return 2;
    }
    if (isHelp(name) || name === 'help') {
      process.stdout.write(`${formatUsage(commands)}\n`);
      return 0;
    }
    if (name === '--version') {
      process.stdout.write(`${pkg.version}\n`);
      return 0;
    }
    const entry = commands[name];
    if (!entry) {
      const guess = nearestImage(name, Object.keys(commands));
      throw new UsageError(
        `unknown command "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
        {
          hint: `run \`imagesmith --help\` for the commands (${Object.keys(commands).join(', ')})`,
        },
      );
    }
    const command = await entry.load();
    // Before parsing, so that `--help` works whatever else is on the line.
    if (rest.some(isHelp)) {
      process.stdout.write(`${formatCommandHelp(name, entry, command)}\n`);
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        options: parseArgsOptions(command.options),
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      // node's message goes on about `--` for positionals; its first sentence is the point.
      throw new UsageError((error as Error).message.split('. To specify')[0]!, {
        hint: `run \`imagesmith ${name} --help\` for its options`,
      });
    }
    return await command.run({
      root,
      positionals: parsed.positionals,
      values: parsed.values as Record<string, unknown>,
    });
  } catch (error) {
    return handleError(error);
  }
}
