import { parseArgs } from 'node:util';
import { UsageError } from '@imagesmith/core';
import { commands } from './commands';
import { handleError } from './handle-error';

const USAGE = `usage: imagesmith <command> [images...] [options]

commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run from the workspace root (or set IMAGESMITH_ROOT). Every command also runs through Nx:
nx run <image>:<command>.`;

/** Entry point: parse, dispatch, and map every error to a message and an exit code. */
export async function run(argv: string[]): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return name === undefined ? 2 : 0;
    }
    const entry = commands[name];
    if (!entry) throw new UsageError(`unknown command "${name}"\n\n${USAGE}`);
    const command = await entry.load();
    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        options: command.options,
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
    }
    const root = process.env.IMAGESMITH_ROOT ?? process.cwd();
    return await command.run({
      root,
      positionals: parsed.positionals,
      values: parsed.values as Record<string, unknown>,
    });
  } catch (error) {
    return handleError(error);
  }
}
