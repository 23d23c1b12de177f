import { describe, expect, it } from 'vitest';
import { LOCK_TEXT } from '../test-support/lock-fixture';
import { parseLock } from './parse-lock';
import { renderRequirements } from './render-requirements';

const pkgs = parseLock(LOCK_TEXT);

describe('renderRequirements', () => {
  it('pins every package of the group with a hash per file, sorted by name', () => {
    expect(
      renderRequirements(pkgs, { groups: ['main'], header: 'GENERATED from poetry.lock' }),
    ).toBe(
      [
        '# GENERATED from poetry.lock',
        '',
        'a==1.0 \\',
        '    --hash=sha256:aaaa \\',
        '    --hash=sha256:aaab',
        'b==1.0 ; python_version >= "3.8" \\',
        '    --hash=sha256:bbbb',
        'Colorama==0.4.6 ; sys_platform == "win32" \\',
        '    --hash=sha256:cccc',
        '',
      ].join('\n'),
    );
  });

  it('takes the markers of the chosen groups and joins differing ones with "or"', () => {
    const dev = renderRequirements(pkgs, { groups: ['dev'], header: 'h' });
    expect(dev).toContain('Colorama==0.4.6 ; platform_system == "Windows" \\');
    expect(dev).not.toContain('a==1.0');
    const both = renderRequirements(pkgs, { groups: ['main', 'dev'], header: 'h' });
    expect(both).toContain(
      'Colorama==0.4.6 ; (platform_system == "Windows") or (sys_platform == "win32") \\',
    );
  });

  it('leaves out excluded packages, by normalized name', () => {
    const text = renderRequirements(pkgs, {
      groups: ['main'],
      exclude: ['COLORAMA', 'a'],
      header: 'h',
    });
    expect(text).toBe('# h\n\nb==1.0 ; python_version >= "3.8" \\\n    --hash=sha256:bbbb\n');
  });

  it('keeps a header that is already commented', () => {
    const text = renderRequirements([], {
      groups: ['main'],
      header: '# GENERATED — DO NOT EDIT.\n',
    });
    expect(text).toBe('# GENERATED — DO NOT EDIT.\n\n');
  });

  it('refuses a package without hashes, since pip --require-hashes would', () => {
    const git = {
      name: 'x',
      version: '1',
      groups: ['main'],
      files: [],
      source: { type: 'git', url: 'https://g/x' },
    };
    expect(() => renderRequirements([git], { groups: ['main'], header: 'h' })).toThrow(
      /x 1 has no file hashes in poetry.lock \(source type git https:\/\/g\/x\)/,
    );
  });
});
