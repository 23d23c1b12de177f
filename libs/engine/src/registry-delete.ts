import { EngineError } from './errors';
import { registryLocation } from './parse-image-ref';
import type { RegistryOptions } from './registry-api';
import { registrySender, unexpected, withinDeadline } from './registry-request';

/** The registry answered 405 to a delete: deletes are turned off (distribution: storage.delete.enabled). */
export class RegistryDeleteRefusedError extends EngineError {
  constructor(readonly registry: string) {
    super(
      `the registry ${registry} does not allow deletes (it answered 405 Method Not Allowed); turn deletes on in the registry (distribution: storage.delete.enabled: true), or delete the tags with the registry's own tools`,
      'registry',
    );
  }
}

/**
 * Deletes the manifest `ref` names by digest (`registry/name@sha256:...`): every tag that names
 * it goes with it (https://distribution.github.io/distribution/spec/api/#deleting-an-image).
 * Returns false when the registry no longer has it (404); throws RegistryDeleteRefusedError on 405.
 */
export async function deleteManifest(ref: string, opts: RegistryOptions = {}): Promise<boolean> {
  const loc = registryLocation(ref);
  if (!loc.reference.startsWith('sha256:'))
    throw new EngineError(
      `deleteManifest needs a reference by digest, not ${ref}: a delete by tag would remove whatever the tag names by then`,
      'registry',
    );
  const send = registrySender(opts);
  return withinDeadline(loc.registry, ref, opts.timeoutMs, async (signal) => {
    const res = await send(
      loc,
      ref,
      { method: 'DELETE', path: `manifests/${loc.reference}`, access: 'delete' },
      signal,
    );
    const answer = (await res.text()).trim().slice(0, 300);
    if (res.status === 202 || res.status === 200) return true;
    if (res.status === 404) return false;
    if (res.status === 405) throw new RegistryDeleteRefusedError(loc.registry);
    if (res.status >= 500) throw unexpected(res.status, loc.registry, ref);
    throw new EngineError(
      `registry ${loc.registry} answered ${res.status} to deleting ${ref}${answer ? ` (${answer})` : ''}`,
      'registry',
    );
  });
}
