import { describe, expect, it } from 'vitest';
import { EngineError } from './errors';
import { pushTimeoutMs, pushWithin } from './registry-deadline';

describe('the engine push deadline', () => {
  it('reads IMAGESMITH_PUSH_TIMEOUT in seconds, 600 by default, and rejects nonsense', () => {
    expect(pushTimeoutMs({})).toBe(600_000);
    expect(pushTimeoutMs({ IMAGESMITH_PUSH_TIMEOUT: ' ' })).toBe(600_000);
    expect(pushTimeoutMs({ IMAGESMITH_PUSH_TIMEOUT: '2.5' })).toBe(2_500);
    expect(() => pushTimeoutMs({ IMAGESMITH_PUSH_TIMEOUT: '-1' })).toThrow(
      /IMAGESMITH_PUSH_TIMEOUT="-1" is not a number of seconds/,
    );
  });

  it('passes a push that ends in time through', async () => {
    expect(
      await pushWithin('127.0.0.1:5000/ns/app:1', 1_000, async () => ({ digest: 'd' })),
    ).toEqual({
      digest: 'd',
    });
  });

  it('ends a push that stalls, naming the registry and the reference', async () => {
    const stalled = new Promise<never>(() => undefined);
    const error = (await pushWithin('127.0.0.1:5999/ns/app:0.1-r0', 50, () => stalled).catch(
      (e: unknown) => e,
    )) as EngineError;
    expect(error).toBeInstanceOf(EngineError);
    expect(error.message).toBe(
      'pushing 127.0.0.1:5999/ns/app:0.1-r0 to the registry 127.0.0.1:5999 did not finish within 0.05 s; check that 127.0.0.1:5999 is up and accepts uploads (or raise IMAGESMITH_PUSH_TIMEOUT), then push again',
    );
  });
});
