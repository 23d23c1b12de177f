import { parseWorkspaceConfig } from '@imagesmith/core';
import { describe, expect, it } from 'vitest';
import { parseRequirement, promotePolicy, refusalLine } from './promote-policy';

const config = (promote: unknown) =>
  parseWorkspaceConfig(JSON.stringify({ repository: '127.0.0.1:5000/acme', promote }), {});

describe('promote policy', () => {
  it('reads promote.requires from imagesmith.json in its order', () => {
    const p = promotePolicy(config({ requires: ['validate:gpu', 'signature', 'validate'] }));
    expect(p.requires).toEqual([
      { kind: 'validate', text: 'validate:gpu', hardware: 'gpu' },
      { kind: 'signature', text: 'signature' },
      { kind: 'validate', text: 'validate' },
    ]);
    expect(p.source).toBe('promote.requires in imagesmith.json');
  });

  it('requires a signature and a passing validate when imagesmith.json says nothing', () => {
    const p = promotePolicy(parseWorkspaceConfig('{}', {}));
    expect(p.requires.map((r) => r.text)).toEqual(['signature', 'validate']);
    expect(p.source).toMatch(/^the default promote\.requires/);
  });

  it('an empty list is a policy of its own: nothing required', () => {
    expect(promotePolicy(config({ requires: [] })).requires).toEqual([]);
  });

  it('refuses an unknown entry, a duplicate and an unknown key, naming the field and line', () => {
    const text = (promote: unknown) =>
      JSON.stringify({ repository: '127.0.0.1:5000/acme', promote }, null, 2);
    const fail = (promote: unknown) => () => parseWorkspaceConfig(text(promote), {});
    expect(fail({ requires: ['signed'] })).toThrow(
      /imagesmith\.json:5:7: promote\.requires\[0\]: must match pattern .*\n\s+hint: write "signature", "validate" or "validate:<hardware>"/,
    );
    expect(fail({ requires: ['signature', 'signature'] })).toThrow(
      /promote\.requires: must NOT have duplicate items/,
    );
    expect(fail({ require: ['signature'] })).toThrow(/promote\.require: unknown field "require"/);
  });

  it('parses validate with and without hardware', () => {
    expect(parseRequirement('validate:inf1')).toEqual({
      kind: 'validate',
      text: 'validate:inf1',
      hardware: 'inf1',
    });
    expect(() => parseRequirement('nonsense')).toThrow(/internal error/);
  });

  it('a refusal says how to meet the requirement or drop it from the field', () => {
    const p = promotePolicy(config({ requires: ['signature', 'validate:gpu'] }));
    expect(
      refusalLine(p.requires[1]!, 'no passing validate attestation from a runner with gpu', p),
    ).toBe(
      'lacks a passing validate:gpu attestation: no passing validate attestation from a runner with gpu, or drop "validate:gpu" from promote.requires in imagesmith.json',
    );
    expect(refusalLine(p.requires[0]!, 'the content it names has no signature', p)).toMatch(
      /^lacks a verified signature \(the content it names has no signature\): sign it with push .*, or drop "signature" from promote\.requires in imagesmith\.json$/,
    );
  });
});
