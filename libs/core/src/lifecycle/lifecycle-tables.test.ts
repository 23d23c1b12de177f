import { describe, expect, it } from 'vitest';
import { fsReader } from '../catalogue/workspace-reader';
import { parseYamlDocument } from '../image-spec/parse-document';
import { REPO_ROOT } from '../../test-support/fixtures';
import { loadLifecycles } from './load-lifecycles';
import { pythonLifecycle } from './python-lifecycle';
import table from './python-lifecycle.json';
import { validateLifecycle } from './validate-lifecycle';

const FILE = 'profiles/demo/lifecycle.yaml';
const problems = (text: string) => validateLifecycle(parseYamlDocument(text, FILE).doc!, FILE);
const entry = `entries:
  - id: ubuntu-22.04
    name: Ubuntu 22.04 LTS
    end_of_life: '2027-06-01'
    source: ubuntu.com/about/release-cycle
`;

function reader(files: Record<string, string>) {
  return {
    read: (p: string) => files[p],
    list: (d: string) =>
      d === 'profiles' ? [...new Set(Object.keys(files).map((f) => f.split('/')[1]!))].sort() : [],
    isDir: () => false,
  };
}

describe('lifecycle tables', () => {
  it("the committed Python table and every profile's table validate", () => {
    const json = JSON.stringify(table);
    expect(validateLifecycle(parseYamlDocument(json, pythonLifecycle.file).doc!, 'p')).toEqual([]);
    const { tables, diagnostics } = loadLifecycles(fsReader(REPO_ROOT));
    expect(diagnostics).toEqual([]);
    expect([...tables.keys()]).toEqual(expect.arrayContaining(['cpu', 'cuda12', 'neuron-inf1']));
    for (const t of tables.values())
      for (const e of t.entries) expect(e.source.length).toBeGreaterThan(10);
  });

  it('knows the Python end-of-life dates of python.org', () => {
    const eol = Object.fromEntries(pythonLifecycle.entries.map((e) => [e.id, e.end_of_life]));
    expect(eol).toMatchObject({
      '3.9': '2025-10-31',
      '3.10': '2026-10-01',
      '3.11': '2027-10-01',
      '3.12': '2028-10-01',
      '3.13': '2029-10-01',
    });
  });

  it('accepts a minimal entry', () => {
    expect(problems(entry)).toEqual([]);
  });

  it('names the entry and field of a missing source, at its line', () => {
    const [d] = problems(entry.replace(/ {4}source:.*\n/, ''));
    expect(d).toMatchObject({ file: FILE, path: 'entries[0]', line: 2 });
    expect(d?.message).toMatch(/source/);
  });

  it('rejects a date that is not a day, an unknown field, a duplicate id, a broken regex', () => {
    expect(problems(entry.replace('2027-06-01', '2027-06'))[0]).toMatchObject({
      path: 'entries[0].end_of_life',
      line: 4,
    });
    expect(problems(entry.replace('2027-06-01', '2027-02-30'))[0]).toMatchObject({
      path: 'entries[0].end_of_life',
      message: '"2027-02-30" is not a calendar day',
    });
    expect(problems(`${entry}    eol: x\n`)[0]?.message).toMatch(/unknown field "eol"/);
    expect(problems(entry + entry.replace('entries:\n', ''))[0]).toMatchObject({
      path: 'entries[1].id',
      message: 'id "ubuntu-22.04" is also entries[0]\'s',
    });
    expect(problems(`${entry}    when: { base: '(' }\n`)[0]).toMatchObject({
      path: 'entries[0].when.base',
    });
  });

  it('loads a profile table by convention and reports a broken one by file and entry', () => {
    const ok = loadLifecycles(reader({ 'profiles/demo/lifecycle.yaml': entry }));
    expect(ok.tables.get('demo')?.entries[0]?.id).toBe('ubuntu-22.04');
    const bad = loadLifecycles(
      reader({ 'profiles/demo/lifecycle.yaml': entry.replace("'2027-06-01'", 'soon') }),
    );
    expect(bad.tables.size).toBe(0);
    expect(bad.diagnostics[0]).toMatchObject({ file: FILE, path: 'entries[0].end_of_life' });
  });
});
