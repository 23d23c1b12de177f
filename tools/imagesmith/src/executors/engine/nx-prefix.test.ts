import { afterEach, describe, expect, it } from 'vitest';
import { nxLinePrefix, prefixStripper, withoutLinePrefix } from './nx-prefix';

const original = process.stdout.write;
afterEach(() => {
  process.stdout.write = original;
});

describe('the line prefix Nx adds', () => {
  it("is the project's name for an unbatched task's piped output, none on a terminal or outside Nx", () => {
    expect(nxLinePrefix({ NX_TASK_TARGET_PROJECT: 'acme-base' }, false)).toBe('acme-base: ');
    expect(nxLinePrefix({ NX_TASK_TARGET_PROJECT: 'acme-base' }, true)).toBeUndefined();
    expect(nxLinePrefix({}, false)).toBeUndefined();
  });

  it('is dropped from the start of lines only, across chunks', () => {
    const strip = prefixStripper('acme-base: ');
    expect(strip('acme-base: building (10 s)\nacme-base: built x')).toBe(
      'building (10 s)\nbuilt x',
    );
    expect(strip(' (tags acme-base: 1.0)\n')).toBe(' (tags acme-base: 1.0)\n');
    expect(strip('acme-base-py3.10: built y\n')).toBe('acme-base-py3.10: built y\n');
  });

  it("leaves one `acme-base: ` once Nx prefixes a task's lines", async () => {
    const seen: string[] = [];
    process.stdout.write = ((chunk: unknown) => {
      seen.push(`acme-base: ${String(chunk)}`); // what Nx does with each line it streams
      return true;
    }) as typeof process.stdout.write;
    await withoutLinePrefix('acme-base: ', async () => {
      process.stdout.write('acme-base: building (BuildKit step 2/4, 10 s)\n');
    });
    expect(seen).toEqual(['acme-base: building (BuildKit step 2/4, 10 s)\n']);
  });
});
