import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceDateEpoch } from './source-date-epoch';

describe('sourceDateEpoch', () => {
  it('takes SOURCE_DATE_EPOCH first, without asking git', () => {
    let asked = false;
    const git = () => ((asked = true), '5');
    expect(sourceDateEpoch('/x', { SOURCE_DATE_EPOCH: '1700000000' }, git)).toBe(1700000000);
    expect(asked).toBe(false);
  });

  it('else the last commit time; an empty variable counts as unset', () => {
    expect(sourceDateEpoch('/x', { SOURCE_DATE_EPOCH: '' }, () => '1699999999')).toBe(1699999999);
  });

  it('is undefined outside git (the engine stamps the current time)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imagesmith-sde-'));
    try {
      expect(sourceDateEpoch(dir, {})).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the real HEAD commit time of this repository', () => {
    const epoch = sourceDateEpoch(process.cwd(), {});
    expect(Number.isInteger(epoch)).toBe(true);
    expect(epoch!).toBeGreaterThan(1_600_000_000);
  });

  it('names the variable and the fix for a bad value', () => {
    expect(() => sourceDateEpoch('/x', { SOURCE_DATE_EPOCH: 'yesterday' })).toThrow(
      /SOURCE_DATE_EPOCH="yesterday" is not a whole number of seconds/,
    );
  });
});
