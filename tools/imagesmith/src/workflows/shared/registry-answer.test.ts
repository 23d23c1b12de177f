import { describe, expect, it } from 'vitest';
import { UsageError } from '@imagesmith/core';
import {
  EngineError,
  RegistryAuthError,
  RegistryLabelMismatchError,
  RegistryUnavailableError,
  type ExpectedLabel,
  type RegistryLookup,
} from '@imagesmith/engine';
import type { Session } from './engine-context';
import { registryHoldsForBuild, registryHoldsOrFail } from './registry-answer';

const ANSWER = '127.0.0.1:5001 answered 500 for 127.0.0.1:5001/ns/app:ch-1';

const LABEL: ExpectedLabel = { name: 'dev.imagesmith.content-hash', value: 'a'.repeat(64) };
const forged = async (_ref: string, label?: ExpectedLabel) => {
  throw new RegistryLabelMismatchError('ns/app:ch-1', label!.name, 'f'.repeat(64), label!.value);
};

function session(answer: RegistryLookup['hasTag']) {
  const lines: string[] = [];
  const registry: RegistryLookup = { hasTag: answer };
  return { s: { registry, log: (l: string) => void lines.push(l) } as unknown as Session, lines };
}

describe('registryHoldsForBuild', () => {
  it('passes 200 and 404 on without a word', async () => {
    for (const held of [true, false]) {
      const { s, lines } = session(async () => held);
      expect(await registryHoldsForBuild(s, 'app', 'r')).toBe(held);
      expect(lines).toEqual([]);
    }
  });

  it('says why it rebuilds when the registry cannot answer', async () => {
    const { s, lines } = session(async () => {
      throw new RegistryUnavailableError(ANSWER);
    });
    expect(await registryHoldsForBuild(s, 'app', 'r')).toBeUndefined();
    expect(lines).toEqual([`rebuilding app: the registry ${ANSWER}`]);
  });

  it('rebuilds, in one line, a registry copy labelled as other content, and asks with the label', async () => {
    const asked: (ExpectedLabel | undefined)[] = [];
    const { s, lines } = session(async (ref, label) => {
      asked.push(label);
      return forged(ref, label);
    });
    expect(await registryHoldsForBuild(s, 'app', 'ns/app:ch-1', LABEL)).toBeUndefined();
    expect(asked).toEqual([LABEL]);
    expect(lines).toEqual([
      `rebuilding app: ns/app:ch-1 in the registry is labelled ${'f'.repeat(64)}, not ${'a'.repeat(64)}`,
    ]);
  });

  it('lets a refusal through', async () => {
    const refused = new RegistryAuthError('refused', '127.0.0.1:5001', 401);
    const { s } = session(async () => {
      throw refused;
    });
    await expect(registryHoldsForBuild(s, 'app', 'r')).rejects.toBe(refused);
  });
});

describe('registryHoldsOrFail', () => {
  it('fails naming the reference and the registry answer, never "not built"', async () => {
    const { s } = session(async () => {
      throw new RegistryUnavailableError(ANSWER);
    });
    const error = (await registryHoldsOrFail(s, 'app', 'app', 'ref:1').catch(
      (e: unknown) => e,
    )) as EngineError;
    expect(error).toBeInstanceOf(EngineError);
    expect(error.message).toMatch(
      /^app: ref:1 is not in the local engine and the registry 127\.0\.0\.1:5001 answered 500 for .*, so it cannot be pulled; .*nx run app:build/,
    );
  });

  it('refuses, never pulls, a registry copy labelled as other content', async () => {
    const { s } = session(forged);
    const error = (await registryHoldsOrFail(s, 'app', 'app', 'ns/app:ch-1', LABEL).catch(
      (e: unknown) => e,
    )) as UsageError;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(
      /^app: ns\/app:ch-1 in the registry is labelled f{64}, not a{64}; run `nx run app:build`/,
    );
  });
});
