import { describe, expect, it } from 'vitest';
import { EngineError } from '@imagesmith/engine';
import { isLostBlob } from './engine-races';

const failed = (message: string) => new EngineError(message, 'docker');

describe('isLostBlob', () => {
  it("is an export's bare not found", () => {
    expect(
      isLostBlob(
        failed(
          'docker build of images/x/Dockerfile failed (exit code 1): failed to solve: not found',
        ),
      ),
    ).toBe(true);
  });

  it('is not a base the registry does not have (its metadata lookup ends in not found too)', () => {
    expect(
      isLostBlob(
        failed(
          'docker build of images/x/Dockerfile failed at step [internal] load metadata for 127.0.0.1:5000/library/python:3.11-slim-bookwrom: 127.0.0.1:5000/library/python:3.11-slim-bookwrom: not found',
        ),
      ),
    ).toBe(false);
  });
});
