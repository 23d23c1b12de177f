import { describe, expect, it } from 'vitest';
import { commands } from './commands';
import { formatCommandHelp, formatUsage } from './help';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('CLI help', () => {
  it('lists every command with its summary', () => {
    const usage = formatUsage(commands);
    for (const [name, entry] of Object.entries(commands))
      expect(usage).toMatch(new RegExp(`^  ${name} +${escape(entry.summary.slice(0, 20))}`, 'm'));
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
      // The option's own line starts with it (another option's description may mention it).
      const own = new RegExp(`^\\s+(-\\w, )?\\s*--${escape(flag)}( |$)`);
      const lines = help.split('\n').filter((l) => own.test(l));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(option.description);
    }
    expect(help).toMatch(/-h, --help +show this help/);
  });
});
