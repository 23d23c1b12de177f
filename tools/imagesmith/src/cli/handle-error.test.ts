import { describe, expect, it } from 'vitest';
import { ConstraintError, SpecError, UsageError } from '@imagesmith/core';
import { EngineError } from '@imagesmith/engine';
import { LockError } from '@imagesmith/lock';
import { handleError } from './handle-error';

function handle(error: unknown): { code: number; out: string } {
  let out = '';
  const code = handleError(error, (s) => (out += s));
  return { code, out };
}

describe('handleError', () => {
  it('exits 2 for wrong use of a command', () => {
    expect(handle(new UsageError('unknown image "x"'))).toEqual({
      code: 2,
      out: 'imagesmith: unknown image "x"\n',
    });
  });

  it.each([
    ['SpecError', new SpecError([{ file: 'images/a/image.yaml', path: 'python', message: 'bad' }])],
    ['ConstraintError', new ConstraintError('"latest" is not a valid constraint')],
    ['LockError', new LockError('poetry lock failed', { hint: 'install Poetry 2' })],
    ['EngineError', new EngineError('docker is not running', 'docker')],
  ])('exits 1 with the message alone for a %s', (_, error) => {
    const { code, out } = handle(error);
    expect(code).toBe(1);
    expect(out).toBe(`imagesmith: ${error.message}\n`);
    expect(out).not.toMatch(/internal error/);
  });

  it('keeps the hint of a library error in the message', () => {
    expect(handle(new LockError('poetry lock failed', { hint: 'install Poetry 2' })).out).toMatch(
      /poetry lock failed\n {2}hint: install Poetry 2/,
    );
  });

  it('a write the disk refused (ENOSPC) names the file and the fix, exit 1, not an internal error', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      syscall: 'write',
      path: '/tmp/imagesmith-build-x/Dockerfile',
    });
    const { code, out } = handle(enospc);
    expect(code).toBe(1);
    expect(out).toBe(
      'imagesmith: could not write /tmp/imagesmith-build-x/Dockerfile: no space left on the device (ENOSPC)\n' +
        '  hint: free space on the filesystem that holds /tmp/imagesmith-build-x (`df -h /tmp/imagesmith-build-x`), then run the command again\n',
    );
  });

  it('treats any other error as internal: exit 70, asks for a report, shows the stack', () => {
    const { code, out } = handle(new TypeError('x is undefined'));
    expect(code).toBe(70);
    expect(out).toMatch(/internal error .* please report/);
    expect(out).toMatch(/TypeError: x is undefined\n\s+at /);
  });

  it('does not trust an error by its name', () => {
    const impostor = Object.assign(new Error('looks like a lock error'), { name: 'LockError' });
    expect(handle(impostor).code).toBe(70);
  });

  it('survives a thrown non-error', () => {
    expect(handle('boom')).toEqual({
      code: 70,
      out: expect.stringMatching(/please report.*\nboom\n$/s),
    });
  });
});
