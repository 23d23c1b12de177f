import { describe, expect, it } from 'vitest';
import {
  EngineError,
  RegistryAuthError,
  RegistryUnavailableError,
  type RegistryLookup,
} from '@imagesmith/engine';
import type { Session } from './engine-context';
import { registryHoldsForBuild, registryHoldsOrFail } from './registry-answer';

const ANSWER = '127.0.0.1:5001 answered 500 for 127.0.0.1:5001/ns/app:ch-1';

function session(answer: () => Promise<boolean>) {
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
});
