import { describe, expect, it } from 'vitest';
import type { BuildPlan } from '../shared/build-plan';
import { destinationRepository, promoteImage, type PromoteDeps } from './promote';
import type { Requirement } from './promote-policy';
import type { RegistryWork } from './workspace-plans';

const SRC = '127.0.0.1:5000/acme';
const DST = '127.0.0.1:5001/prod';
const D = `sha256:${'d'.repeat(64)}`;
const OTHER = `sha256:${'e'.repeat(64)}`;

const work = (requires?: string[]): RegistryWork =>
  ({
    root: '/ws',
    config: { repository: SRC, mirrors: {}, ...(requires ? { promote: { requires } } : {}) },
    plans: [
      {
        variant: { name: 'app', image: 'app', specFile: 'images/app/image.yaml' },
        contentTag: 'ch-1',
        refs: {
          content: `${SRC}/app:ch-1`,
          pinned: `${SRC}/app:0.1-r0`,
          floating: `${SRC}/app:0.1`,
        },
      } as unknown as BuildPlan,
    ],
  }) as RegistryWork;

/** Fakes: a registry of tag -> digest, checks that pass unless named, a copy that copies. */
function fakes(tags: Record<string, string>, failing: string[] = []) {
  const calls: string[] = [];
  const lines: string[] = [];
  const deps: PromoteDeps = {
    registry: {
      manifestDigest: async (ref) => tags[ref],
      copyTag: async (from, to) => {
        calls.push(`tag ${from} ${to}`);
        tags[`${from.slice(0, from.lastIndexOf(':'))}:${to}`] = tags[from]!;
        return tags[from]!;
      },
    },
    check: async (repository, digest, r: Requirement) => {
      calls.push(`check ${r.text} ${repository}@${digest}`);
      return failing.includes(r.text)
        ? { ok: false, line: `no ${r.text}` }
        : { ok: true, line: `${r.text}: ok` };
    },
    copy: async (src, dst) => {
      calls.push(`copy ${src} ${dst}`);
      tags[dst] = src.slice(src.indexOf('@') + 1);
    },
    log: (l) => lines.push(l),
  };
  return { deps, calls, lines, tags };
}

const pushed = () => ({ [`${SRC}/app:ch-1`]: D, [`${SRC}/app:0.1-r0`]: D, [`${SRC}/app:0.1`]: D });

describe('promoteImage', () => {
  it('checks every requirement at the digest, copies by digest, then moves the tags', async () => {
    const f = fakes(pushed());
    await promoteImage(work(['signature', 'validate:gpu']), DST, f.deps);
    expect(f.calls).toEqual([
      `check signature ${SRC}/app@${D}`,
      `check validate:gpu ${SRC}/app@${D}`,
      `copy ${SRC}/app@${D} ${DST}/app:ch-1`,
      `tag ${DST}/app:ch-1 0.1-r0`,
      `tag ${DST}/app:ch-1 0.1`,
    ]);
    expect(f.tags[`${DST}/app:0.1-r0`]).toBe(D);
    expect(f.lines).toEqual([
      `app: promoted ${SRC}/app@${D} to ${DST}/app (tags ch-1, 0.1-r0, 0.1); verified signature: ok; validate:gpu: ok`,
    ]);
  });

  it('refuses with every unmet requirement and its field, and copies nothing', async () => {
    const f = fakes(pushed(), ['validate:gpu', 'signature']);
    const done = promoteImage(work(['signature', 'validate:gpu']), DST, f.deps);
    await expect(done).rejects.toThrow(
      /not promoted to 127\.0\.0\.1:5001\/prod \(2 requirements of promote\.requires in imagesmith\.json not met; nothing was copied\)/,
    );
    await expect(done).rejects.toThrow(
      /app: 127\.0\.0\.1:5000\/acme\/app@sha256:d+ lacks a passing validate:gpu attestation: no validate:gpu, or drop "validate:gpu" from promote\.requires in imagesmith\.json/,
    );
    expect(f.calls.filter((c) => !c.startsWith('check'))).toEqual([]);
  });

  it('the default policy is signature and validate', async () => {
    const f = fakes(pushed());
    await promoteImage(work(), DST, f.deps);
    expect(f.calls.filter((c) => c.startsWith('check')).map((c) => c.split(' ')[1])).toEqual([
      'signature',
      'validate',
    ]);
  });

  it('never moves a pinned tag at the destination that names other content', async () => {
    const f = fakes({ ...pushed(), [`${DST}/app:0.1-r0`]: OTHER });
    await expect(promoteImage(work([]), DST, f.deps)).rejects.toThrow(
      /app: 127\.0\.0\.1:5001\/prod\/app:0\.1-r0 names sha256:e+, not sha256:d+; a pinned tag never moves[\s\S]*bump revision in images\/app\/image\.yaml/,
    );
    expect(f.calls).toEqual([]);
  });

  it('an image that was not pushed is a usage error: push first', async () => {
    const f = fakes({ [`${SRC}/app:ch-1`]: D });
    await expect(promoteImage(work([]), DST, f.deps)).rejects.toThrow(
      /app: 127\.0\.0\.1:5000\/acme\/app:0\.1-r0 is not in the registry; push the image first/,
    );
    const none = fakes({});
    await expect(promoteImage(work([]), DST, none.deps)).rejects.toThrow(
      /ch-1 is not in the registry; build and push it first/,
    );
    expect([...f.calls, ...none.calls]).toEqual([]);
  });

  it('a copy that lands under another digest moves no tag', async () => {
    const f = fakes(pushed());
    f.deps.copy = async (_src, dst) => {
      f.tags[dst] = OTHER;
    };
    await expect(promoteImage(work([]), DST, f.deps)).rejects.toThrow(
      /names sha256:e+ after the copy, not sha256:d+/,
    );
    expect(f.calls.filter((c) => c.startsWith('tag'))).toEqual([]);
  });
});

describe('destinationRepository', () => {
  it('takes registry/namespace and refuses what is not one', () => {
    expect(destinationRepository('127.0.0.1:5001/prod/')).toBe('127.0.0.1:5001/prod');
    expect(() => destinationRepository('')).toThrow(/--to needs a repository/);
    expect(() => destinationRepository('prod')).toThrow(/names no registry/);
    expect(() => destinationRepository('127.0.0.1:5001/prod:1.0')).toThrow(/names an image/);
    expect(() => destinationRepository('127.0.0.1:5001/Prod')).toThrow(/is not a repository/);
  });

  it('refuses the workspace repository itself', async () => {
    const f = fakes(pushed());
    await expect(promoteImage(work([]), SRC, f.deps)).rejects.toThrow(
      /is the workspace repository itself/,
    );
  });
});
