import { describe, expect, it } from 'vitest';
import { workspaceOf } from '../../../../../libs/core/test-support/fixtures';
import { collectChecks, contractHash } from '@imagesmith/plan';
import {
  buildPredicate,
  MESSAGE_LIMIT,
  parseStatement,
  runnerLabel,
  VALIDATE_PREDICATE_TYPE,
  type AttestingRunner,
} from './attestation-predicate';
import type { CaseResult } from './junit';

const ws = workspaceOf({
  app: 'description: a\nprofile: cpu\npython: "3.11"\ntests:\n  commands:\n    - { name: gpu works, run: nvidia-smi, requires: gpu }\n    - { name: hello, run: "echo hello" }\n',
});
const checks = collectChecks(ws, 'app', []);
const runner: AttestingRunner = {
  name: 'gpu-runner-1',
  hardware: ['neuron', 'gpu'],
  engine: { name: 'docker', version: '26.1.5' },
  imagesmith: '0.1.0',
  platform: 'linux/amd64',
};
const passed = (c: { name: string; from: string }): CaseResult => ({
  name: c.name,
  classname: c.from,
  status: 'passed',
});
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const statement = (predicate: unknown, digest = DIGEST, type = VALIDATE_PREDICATE_TYPE) => ({
  _type: 'https://in-toto.io/Statement/v0.1',
  subject: [{ name: '127.0.0.1:5000/acme/app', digest: { sha256: digest.slice(7) } }],
  predicateType: type,
  predicate,
});

describe('validate attestation predicate', () => {
  it('records the contract hash, each check with its image, hardware and result, and the runner', () => {
    const p = buildPredicate({
      image: 'app',
      checks,
      contract: contractHash(checks),
      cases: checks.map(passed),
      runner,
    });
    expect(p).toEqual({
      image: 'app',
      contract: contractHash(checks),
      result: 'passed',
      checks: [
        { name: 'gpu works', classname: 'app', requires: 'gpu', result: 'passed' },
        { name: 'hello', classname: 'app', result: 'passed' },
        { name: 'runs as a non-root user', classname: 'app', result: 'passed' },
      ],
      runner: { ...runner, hardware: ['gpu', 'neuron'] },
    });
  });

  it('is failed when any check failed, keeps the platform apart from the check names, and cuts long messages', () => {
    const cases = checks.map((c, i): CaseResult =>
      i === 1
        ? {
            ...passed(c),
            name: `${c.name} on linux/arm64`,
            status: 'failed',
            message: 'x'.repeat(2000),
          }
        : { ...passed(c), name: `${c.name} on linux/arm64` },
    );
    const p = buildPredicate({
      image: 'app',
      checks,
      contract: 'c1',
      cases,
      runner,
      platform: 'linux/arm64',
    });
    expect(p.result).toBe('failed');
    expect(p.platform).toBe('linux/arm64');
    expect(p.checks[1]).toMatchObject({ name: 'hello', result: 'failed' });
    expect(p.checks[1]!.message).toHaveLength(MESSAGE_LIMIT);
  });

  it('refuses to build from results that do not match the checks', () => {
    expect(() =>
      buildPredicate({ image: 'app', checks, contract: 'c', cases: [], runner }),
    ).toThrow(/internal error: 3 checks but 0 results/);
  });

  it('reads back what it wrote from a statement about the same digest', () => {
    const p = buildPredicate({
      image: 'app',
      checks,
      contract: 'c1',
      cases: checks.map(passed),
      runner,
    });
    // Through JSON, as it comes back from the registry.
    const back = parseStatement(JSON.parse(JSON.stringify(statement(p))), DIGEST);
    expect(back).toEqual({ predicate: p });
  });

  it('refuses another digest, another predicate type and shapes it does not know, saying which', () => {
    const p = buildPredicate({
      image: 'app',
      checks,
      contract: 'c1',
      cases: checks.map(passed),
      runner,
    });
    const other = `sha256:${'cd'.repeat(32)}`;
    expect(parseStatement(statement(p), other)).toEqual({ reason: `its subject is not ${other}` });
    expect(parseStatement(statement(p, DIGEST, 'https://slsa.dev/provenance/v1'), DIGEST)).toEqual({
      reason: 'predicate type https://slsa.dev/provenance/v1',
    });
    expect(parseStatement('text', DIGEST)).toEqual({
      reason: 'the statement is not a JSON object',
    });
    const bad = (over: object) => parseStatement(statement({ ...p, ...over }), DIGEST);
    expect(bad({ contract: 7 })).toEqual({
      reason: 'its predicate is not a validate/v1 predicate (contract is not a string)',
    });
    expect(bad({ checks: [{ name: 'x', classname: 'app', result: 'ok' }] })).toMatchObject({
      reason: expect.stringMatching(/checks\[0\]\.result is ok/),
    });
    expect(
      bad({ checks: [{ name: 'x', classname: 'app', result: 'failed' }], result: 'passed' }),
    ).toMatchObject({ reason: expect.stringMatching(/result is passed but a check failed/) });
    expect(bad({ runner: { ...runner, hardware: 'gpu' } })).toMatchObject({
      reason: expect.stringMatching(/runner\.hardware/),
    });
  });

  it('names a runner with its hardware', () => {
    expect(runnerLabel({ name: 'gpu-runner-1', hardware: ['gpu'] })).toBe('gpu-runner-1 (gpu)');
    expect(runnerLabel({ name: 'ci', hardware: [] })).toBe('ci (no special hardware)');
  });
});
