import { describe, expect, it } from 'vitest';
import { deleteManifest, RegistryDeleteRefusedError } from './registry-delete';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function answering(status: number, seen: string[] = []): typeof fetch {
  return (async (input: string | URL, init: RequestInit = {}) => {
    seen.push(`${init.method ?? 'GET'} ${String(input)}`);
    return new Response(status === 202 ? null : '{"errors":[{"code":"UNSUPPORTED"}]}', { status });
  }) as typeof fetch;
}

describe('deleteManifest', () => {
  it('sends DELETE /v2/<name>/manifests/<digest>', async () => {
    const seen: string[] = [];
    expect(
      await deleteManifest(`127.0.0.1:5000/ns/app@${DIGEST}`, { fetch: answering(202, seen) }),
    ).toBe(true);
    expect(seen).toEqual([`DELETE http://127.0.0.1:5000/v2/ns/app/manifests/${DIGEST}`]);
  });

  it('a manifest already gone is false', async () => {
    expect(await deleteManifest(`127.0.0.1:5000/ns/app@${DIGEST}`, { fetch: answering(404) })).toBe(
      false,
    );
  });

  it('405 says the registry does not allow deletes', async () => {
    const done = deleteManifest(`127.0.0.1:5000/ns/app@${DIGEST}`, { fetch: answering(405) });
    await expect(done).rejects.toBeInstanceOf(RegistryDeleteRefusedError);
    await expect(done).rejects.toThrow(/127\.0\.0\.1:5000 does not allow deletes/);
  });

  it('refuses a reference by tag: nothing is sent', async () => {
    const seen: string[] = [];
    await expect(
      deleteManifest('127.0.0.1:5000/ns/app:ch-1', { fetch: answering(202, seen) }),
    ).rejects.toThrow(/needs a reference by digest/);
    expect(seen).toEqual([]);
  });
});
