import { describe, expect, it } from 'vitest';
import { buildStep, Progress, withProgress } from './progress';

function clock(start = 1_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('Progress', () => {
  it('writes a plain line every 10 s off a terminal, with the current build step', () => {
    const c = clock();
    const out: string[] = [];
    const p = new Progress({
      label: 'python-base: building',
      write: (s) => out.push(s),
      now: c.now,
    });
    p.note('#7 [builder 3/12] RUN pip install -r requirements.txt');
    for (let s = 1; s <= 25; s++) {
      c.advance(1_000);
      if (s === 15) p.note('#9 [production 7/12] COPY --from=builder /opt/venv /opt/venv');
      p.tick();
    }
    expect(out).toEqual([
      'python-base: building (builder stage, BuildKit step 3/12, 10 s)\n',
      'python-base: building (production stage, BuildKit step 7/12, 20 s)\n',
    ]);
  });

  it('writes nothing for a step shorter than the interval', () => {
    const c = clock();
    const out: string[] = [];
    const p = new Progress({ label: 'x: locking', write: (s) => out.push(s), now: c.now });
    c.advance(9_000);
    p.tick();
    p.done();
    expect(out).toEqual([]);
  });

  it('rewrites one line in place on a terminal and clears it when done', () => {
    const c = clock();
    const out: string[] = [];
    const p = new Progress({
      label: 'x: locking',
      write: (s) => out.push(s),
      now: c.now,
      tty: true,
    });
    c.advance(1_000);
    p.tick();
    c.advance(1_000);
    p.tick();
    p.done();
    expect(out).toEqual(['\rx: locking (1 s)\x1b[K', '\rx: locking (2 s)\x1b[K', '\r\x1b[K']);
    expect(out.join('')).not.toContain('\n');
  });
});

describe('buildStep', () => {
  it('reads BuildKit, buildah and classic docker step lines, and nothing else', () => {
    expect(buildStep('#4 [2/3] RUN echo one')).toBe('BuildKit step 2/3');
    expect(buildStep('[1/2] STEP 3/3: RUN ls')).toBe('step 3/3');
    expect(buildStep('Step 2/5 : RUN false')).toBe('step 2/5');
    expect(buildStep('#4 0.074 one')).toBeUndefined();
  });
});

describe('withProgress', () => {
  it('clears the line even when the work fails', async () => {
    const out: string[] = [];
    const failing = withProgress(
      { label: 'x', write: (s) => out.push(s), tty: true },
      async (p) => {
        p.tick();
        throw new Error('boom');
      },
    );
    await expect(failing).rejects.toThrow('boom');
    expect(out.at(-1)).toBe('\r\x1b[K');
  });
});
