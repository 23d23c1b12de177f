import { describe, expect, it } from 'vitest';
import { commands } from './commands';
import { formatCommandHelp, formatUsage } from './help';

describe('CLI help', () => {
  it('lists every command with its summary', () => {
    const usage = formatUsage(commands);
    for (const [name, entry] of Object.entries(commands))
      expect(usage).toMatch(new RegExp(`^  ${name} +${entry.summary.slice(0, 20)}`, 'm'));
    expect(usage).toMatch(/--version/);
  });

  it.each(Object.keys(commands))('%s --help: one line per option, each described', async (name) => {
    const entry = commands[name]!;
    const command = await entry.load();
    const help = formatCommandHelp(name, entry, command);
    expect(help.split('\n')[0]).toBe(
      `usage: imagesmith ${name}${entry.args ? ` ${entry.args}` : ''} [options]`,
    );
    for (const [flag, option] of Object.entries(command.options)) {
      expect(option.description).toMatch(/\S/);
      const lines = help
        .split('\n')
        .filter((l) => l.includes(`--${flag} `) || l.endsWith(`--${flag}`));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(option.description);
    }
    expect(help).toMatch(/-h, --help +show this help/);
  });
});
