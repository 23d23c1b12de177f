import { LockError } from '@imagesmith/lock';
import { firstLine } from '../shared/outcome-table';

/**
 * Whether a failed lock is a skip (this machine cannot reach an index the image needs) or a
 * failure (anything the image's owner must fix). Skipped: Poetry could not connect to a source
 * (DNS, refused, timed out: poetry-failure.ts names it), or a vendor index (any source but PyPI
 * or the configured PyPI mirror) answered 401/403/404, as download.pytorch.org or the Neuron
 * index do to a machine without access. Failed: everything else, a resolution conflict, a
 * package no index has, a spec error, an uninstallable lock, or PyPI itself refusing. Pure.
 */
export function classifyLockError(
  error: unknown,
  pypiHosts: readonly string[] = [],
): { state: 'skipped' | 'failed'; reason: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof LockError) {
    if (/^Poetry could not reach package source/.test(error.summary))
      return { state: 'skipped', reason: firstLine(error.summary) };
    const refused = /\b(401|403|404) Client Error:[^\n]*? for url: (https?:\/\/[^\s/]+)/.exec(
      error.output ?? '',
    );
    if (refused) {
      const host = new URL(refused[2]!).host;
      const pypi = ['pypi.org', 'files.pythonhosted.org', ...pypiHosts];
      if (!pypi.includes(host))
        return {
          state: 'skipped',
          reason: `vendor index ${host} answered ${refused[1]} (no access from this machine)`,
        };
    }
  }
  return { state: 'failed', reason: firstLine(message) };
}
