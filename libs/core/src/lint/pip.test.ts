import { describe, expect, it } from 'vitest';
import { findPipInstall, parseInstallArgs, requirementPin } from './pip';

describe('findPipInstall', () => {
  it('finds pip behind a path, env assignments and global options', () => {
    expect(findPipInstall(['PIP_X=1', '/opt/venv/bin/pip3.11', '-q', 'install', 'x'])).toEqual({
      tool: 'pip',
      prefix: ['PIP_X=1'],
      args: ['-q', 'x'],
    });
  });

  it('finds python -m pip and uv pip', () => {
    expect(findPipInstall(['python3', '-m', 'pip', 'install', 'x'])?.tool).toBe('pip');
    expect(findPipInstall(['uv', 'pip', 'install', 'x'])?.tool).toBe('uv');
  });

  it('ignores other pip subcommands and pipx', () => {
    expect(findPipInstall(['pip', 'download', 'x'])).toBeUndefined();
    expect(findPipInstall(['pipx', 'install', 'x'])).toBeUndefined();
  });
});

describe('parseInstallArgs', () => {
  it('separates flags, option values and requirements', () => {
    const args = parseInstallArgs([
      '-U',
      '-r',
      'a.txt',
      '--index-url=https://i',
      '--extra-index-url',
      'https://e',
      'x',
      '>/dev/null',
    ]);
    expect([...args.flags]).toEqual(['--upgrade']);
    expect(Object.fromEntries(args.values)).toEqual({
      '--requirement': ['a.txt'],
      '--index-url': ['https://i'],
      '--extra-index-url': ['https://e'],
    });
    expect(args.requirements).toEqual(['x']);
  });

  it('keeps a spaced `name @ url` together', () => {
    expect(parseInstallArgs(['pkg', '@', 'https://x/pkg.whl']).requirements).toEqual([
      'pkg @ https://x/pkg.whl',
    ]);
  });
});

describe('requirementPin', () => {
  it.each([
    ['numpy==1.26.4', 'pinned'],
    ['numpy===1.26.4', 'pinned'],
    ['uvicorn[standard]==0.30.1', 'pinned'],
    ['torch==${TORCH_VERSION}', 'pinned'],
    ['pkg @ https://x/pkg.whl', 'pinned'],
    ['numpy', 'unpinned'],
    ['numpy>=1', 'unpinned'],
    ['numpy~=1.26', 'unpinned'],
    ['numpy==1.*', 'unpinned'],
    ['numpy>=1,<2', 'unpinned'],
    ['.', 'other'],
    ['/tmp/x.whl', 'other'],
    ['git+https://github.com/o/r', 'other'],
    ['$PACKAGES', 'other'],
  ])('%s is %s', (req, expected) => {
    expect(requirementPin(req)).toBe(expected);
  });
});
