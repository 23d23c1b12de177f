import type { Command, OptionSpec } from './commands/command';
import type { CommandEntry } from './commands';

const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', description: 'show this help' };

/** `imagesmith --help`: every command with its summary, from the registry. */
export function formatUsage(commands: Record<string, CommandEntry>): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length)) + 2;
  return `usage: imagesmith <command> [images...] [options]

commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`)
  .join('\n')}

options:
  -h, --help    show this help (\`imagesmith <command> --help\`: the command's options)
  --version     print the imagesmith version

Run from the workspace root (or set IMAGESMITH_ROOT). Every image command also runs through Nx:
nx run <image>:<command>. Exit codes: 0 ok, 1 a failed check or tool, 2 wrong usage, 70 a bug.`;
}

/** `imagesmith <command> --help`: usage line, summary and one line per option. */
export function formatCommandHelp(name: string, entry: CommandEntry, command: Command): string {
  const options = Object.entries({ ...command.options, help: HELP_OPTION }).map(([flag, o]) => [
    `${o.short ? `-${o.short}, ` : '    '}--${flag}${o.type === 'string' ? ` <${o.value ?? 'value'}>` : ''}`,
    `${o.description}${o.multiple ? ' (repeatable)' : ''}`,
  ]);
  const width = Math.max(...options.map(([left]) => left!.length)) + 2;
  return `usage: imagesmith ${name}${entry.args ? ` ${entry.args}` : ''} [options]

${entry.summary}

options:
${options.map(([left, right]) => `  ${left!.padEnd(width)}${right}`).join('\n')}`;
}
