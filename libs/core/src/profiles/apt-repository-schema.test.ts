import { describe, expect, it } from 'vitest';
import type { WorkspaceReader } from '../catalogue/workspace-reader';
import { loadProfiles } from './load-profiles';

/** A workspace holding one profile, profiles/vendor/profile.yaml. */
function reader(yaml: string): WorkspaceReader {
  return {
    read: (p) => (p === 'profiles/vendor/profile.yaml' ? yaml : undefined),
    list: (d) => (d === 'profiles' ? ['vendor'] : []),
    isDir: (p) => p === 'profiles' || p === 'profiles/vendor',
  };
}

const profile = (repo: string) => `description: vendor
hardware: cpu
python_install: provided
python_versions: ['3.11']
bases: { '3.11': 'python:3.11-slim-bookworm' }
apt_repositories:
  - name: vendor
    url: https://apt.example.com
    suite: bookworm
    components: [main]
    key_url: https://apt.example.com/key.asc
${repo}`;

describe('profile apt_repositories', () => {
  it('requires a fingerprint, naming the file, line and field', () => {
    const { diagnostics, profiles } = loadProfiles('/nowhere', reader(profile('')));
    expect(profiles.size).toBe(0);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        file: 'profiles/vendor/profile.yaml',
        path: 'apt_repositories[0]',
        message: 'missing required field "fingerprint"',
      }),
    ]);
  });

  it('accepts only a full upper-case 40-digit fingerprint', () => {
    const short = loadProfiles('/nowhere', reader(profile('    fingerprint: 5749CAD8646D9185\n')));
    expect(short.diagnostics[0]).toMatchObject({ path: 'apt_repositories[0].fingerprint' });
    const full = loadProfiles(
      '/nowhere',
      reader(profile('    fingerprint: 00FA2C1079260870A76D2C285749CAD8646D9185\n')),
    );
    expect(full.diagnostics).toEqual([]);
    expect(full.profiles.get('vendor')?.definition.apt_repositories?.[0]?.fingerprint).toBe(
      '00FA2C1079260870A76D2C285749CAD8646D9185',
    );
  });
});
