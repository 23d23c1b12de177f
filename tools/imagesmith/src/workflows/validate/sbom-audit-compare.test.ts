import { describe, expect, it } from 'vitest';
import { auditVenv, venvPackages, type FoundPackage } from './sbom-audit-compare';

const site = '/opt/venv/lib/python3.11/site-packages';
const found = (name: string, version: string): FoundPackage => ({
  name,
  version,
  path: `${site}/${name}-${version}.dist-info/METADATA`,
});
const own = {
  file: 'images/app/poetry.lock',
  packages: { six: '1.16.0', 'Typing-Extensions': '4.12.2' },
};
const parent = { file: 'images/base/poetry.lock', packages: { idna: '3.7', six: '1.15.0' } };

describe('auditVenv', () => {
  it('passes packages pinned at the same version by the own lock or an ancestor', () => {
    expect(
      auditVenv(
        [found('six', '1.16.0'), found('typing_extensions', '4.12.2'), found('idna', '3.7')],
        [own, parent],
      ),
    ).toEqual([]);
  });

  it('names a package no lock pins, with its version, path and the lock files', () => {
    const [problem, ...rest] = auditVenv([found('leftpad', '0.2')], [own, parent]);
    expect(rest).toEqual([]);
    expect(problem).toContain('leftpad 0.2');
    expect(problem).toContain(`${site}/leftpad-0.2.dist-info/METADATA`);
    expect(problem).toContain('images/app/poetry.lock or images/base/poetry.lock does not pin it');
  });

  it('names a package installed at another version than its lock pins (the first lock that pins it)', () => {
    expect(auditVenv([found('six', '1.17.0')], [own, parent])).toEqual([
      expect.stringContaining('six 1.17.0 is installed in the venv') as string,
    ]);
    expect(auditVenv([found('six', '1.17.0')], [own, parent])[0]).toContain(
      'images/app/poetry.lock pins 1.16.0',
    );
    expect(auditVenv([found('idna', '3.8')], [own, parent])[0]).toContain(
      'images/base/poetry.lock pins 3.7',
    );
  });

  it("allows the venv's own pip and setuptools unless a lock pins them", () => {
    expect(auditVenv([found('pip', '23.0.1'), found('setuptools', '66.1.1')], [own])).toEqual([]);
    const pinsPip = { file: 'images/app/poetry.lock', packages: { pip: '24.0' } };
    expect(auditVenv([found('pip', '23.0.1')], [pinsPip])[0]).toContain('pins 24.0');
  });

  it('says when the image has no lock at all', () => {
    expect(auditVenv([found('six', '1.16.0')], [])[0]).toContain('(no lock) does not pin it');
  });
});

describe('venvPackages', () => {
  it('keeps Python distributions under /opt/venv only, once each, sorted', () => {
    const doc = {
      artifacts: [
        {
          name: 'zlib1g',
          version: '1:1.2.13',
          type: 'deb',
          locations: [{ path: '/var/lib/dpkg/status' }],
        },
        {
          name: 'six',
          version: '1.16.0',
          type: 'python',
          locations: [{ path: `${site}/six-1.16.0.dist-info/METADATA` }],
        },
        {
          name: 'six',
          version: '1.16.0',
          type: 'python',
          locations: [{ path: `${site}/six-1.16.0.dist-info/RECORD` }],
        },
        {
          name: 'Attrs',
          version: '23.1',
          type: 'python',
          locations: [{ path: `${site}/attrs-23.1.dist-info/METADATA` }],
        },
        {
          name: 'pyyaml',
          version: '6.0',
          type: 'python',
          locations: [{ path: '/usr/lib/python3/dist-packages/PyYAML-6.0.egg-info' }],
        },
        {
          // Vendored inside another distribution (setuptools, bleach): not installed on its own.
          name: 'autocommand',
          version: '2.2.2',
          type: 'python',
          locations: [{ path: `${site}/setuptools/_vendor/autocommand-2.2.2.dist-info/METADATA` }],
        },
        {
          name: 'html5lib',
          version: '1.1',
          type: 'python',
          locations: [{ path: `${site}/bleach/_vendor/html5lib-1.1.dist-info/METADATA` }],
        },
      ],
    };
    expect(venvPackages(JSON.stringify(doc))).toEqual([
      { name: 'Attrs', version: '23.1', path: `${site}/attrs-23.1.dist-info/METADATA` },
      { name: 'six', version: '1.16.0', path: `${site}/six-1.16.0.dist-info/RECORD` },
    ]);
  });
});
