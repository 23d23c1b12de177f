import { describe, expect, it } from 'vitest';
import { fsReader } from '../catalogue/workspace-reader';
import { REPO_ROOT, workspaceOf } from '../../test-support/fixtures';
import { checkEndOfLife } from './check-end-of-life';
import { addDays } from './dates';
import { eolState } from './eol-state';
import { imageEndOfLife } from './image-end-of-life';
import { loadLifecycles } from './load-lifecycles';
import { renderEolReport } from './eol-report';
import { todayFrom } from './today';

const lifecycles = loadLifecycles(fsReader(REPO_ROOT)).tables;
const ws = (specs: Record<string, string>) => ({ ...workspaceOf(specs), lifecycles });
const py39 = `description: on 3.9
profile: cpu
python: "3.9"
`;

describe('eolState', () => {
  it('is supported before the 180-day window, ending inside it, ended from the day on', () => {
    expect(eolState('2025-10-31', addDays('2025-10-31', -181))).toBe('supported');
    expect(eolState('2025-10-31', addDays('2025-10-31', -180))).toBe('ending');
    expect(eolState('2025-10-31', '2025-10-30')).toBe('ending');
    expect(eolState('2025-10-31', '2025-10-31')).toBe('ended');
    expect(eolState('2025-10-31', '2026-12-07')).toBe('ended');
  });
});

describe('checkEndOfLife', () => {
  it('says nothing before the window', () => {
    expect(checkEndOfLife(ws({ demo: py39 }), ['demo'], '2025-01-01')).toEqual([]);
  });

  it('warns inside the window, naming the field, its line, the date and the move', () => {
    const [f, ...rest] = checkEndOfLife(ws({ demo: py39 }), ['demo'], '2025-06-01');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'warning',
      file: 'images/demo/image.yaml',
      line: 3,
      path: 'python',
      end_of_life: '2025-10-31',
      move: '3.10',
    });
    expect(f?.message).toMatch(
      /^`python: "3.9"` in images\/demo\/image.yaml reaches end of life on 2025-10-31, in 152 days \(python.org.*\); move to 3.10 before then$/,
    );
  });

  it('fails after the day, saying what to do', () => {
    const [f] = checkEndOfLife(ws({ demo: py39 }), ['demo'], '2026-12-07');
    expect(f).toMatchObject({ severity: 'error', path: 'python', line: 3 });
    expect(f?.message).toMatch(
      /^`python: "3.9"` in images\/demo\/image.yaml reached end of life on 2025-10-31 \(python.org.*\); move to 3.11 or add allow_eol: <reason>$/,
    );
  });

  it('passes an allowed image with a warning that shows the reason', () => {
    const spec = `${py39}allow_eol: MLRun 1.7 supports Python 3.9 only\n`;
    const [f] = checkEndOfLife(ws({ demo: spec }), ['demo'], '2026-12-07');
    expect(f?.severity).toBe('warning');
    expect(f?.allowed).toBe('"MLRun 1.7 supports Python 3.9 only"');
    expect(f?.message).toMatch(/allowed by allow_eol: "MLRun 1.7 supports Python 3.9 only"$/);
  });

  it("blames a child's base for its parent's Python, and inherits the parent's allow_eol", () => {
    const child = 'description: child\nprofile: cpu\nbase: demo\n';
    const [f] = checkEndOfLife(ws({ demo: py39, child }), ['child'], '2026-12-07');
    expect(f).toMatchObject({ severity: 'error', path: 'base', line: 3 });
    expect(f?.message).toMatch(/^`base: demo \(Python 3.9\)` in images\/child\/image.yaml/);
    const allowed = `${py39}allow_eol: pinned by a vendor\n`;
    const [g] = checkEndOfLife(ws({ demo: allowed, child }), ['child'], '2026-12-07');
    expect(g).toMatchObject({ severity: 'warning', allowed: '"pinned by a vendor" (demo\'s)' });
  });

  it("checks the profile's OS entry the image's base runs on", () => {
    const spec = 'description: d\nprofile: neuron-inf1\npython: "3.9"\n';
    const found = checkEndOfLife(ws({ demo: spec }), ['demo'], '2025-06-01');
    // Ubuntu 20.04 ended 2025-05-31: the profile line; Python 3.9 only nears its end.
    expect(found.map((f) => [f.severity, f.path, f.what])).toEqual([
      ['warning', 'python', 'Python 3.9'],
      ['error', 'profile', 'Ubuntu 20.04 LTS (focal)'],
    ]);
    expect(found[1]?.message).toMatch(
      /\(runs on Ubuntu 20.04 LTS \(focal\)\) reached end of life on 2025-05-31/,
    );
  });

  it('matches CUDA entries on the base tag', () => {
    const spec =
      'description: d\nprofile: cuda12\nprofile_options: { cuda: "12.1" }\npython: "3.11"\n';
    const found = checkEndOfLife(ws({ demo: spec }), ['demo'], '2027-01-01');
    expect(found.map((f) => [f.severity, f.what])).toEqual([
      ['warning', 'CUDA 12.1 (nvidia/cuda on Ubuntu 22.04)'],
    ]);
  });
});

describe('imageEndOfLife and the report', () => {
  it('gives the earliest end of what the image runs on, whatever the day', () => {
    expect(imageEndOfLife(ws({ demo: py39 }), 'demo')).toEqual({
      date: '2025-10-31',
      what: 'Python 3.9',
    });
  });

  it('lists what ends within 180 days with the move, and says when nothing does', () => {
    const w = ws({ demo: py39 });
    expect(renderEolReport(w, '2025-01-01')).toBe(
      'End of life (on 2025-01-01, looking 180 days ahead): nothing ends.\n',
    );
    expect(renderEolReport(w, '2025-06-01')).toMatch(
      /- `demo`: Python 3.9 ends 2025-10-31 \(`python` in images\/demo\/image.yaml\): move to 3.10/,
    );
  });
});

describe('todayFrom', () => {
  it('takes IMAGESMITH_TODAY, else the clock read once, and refuses a non-date', () => {
    expect(todayFrom({ IMAGESMITH_TODAY: '2026-12-07' })).toBe('2026-12-07');
    expect(todayFrom({}, () => new Date('2027-01-02T23:59:00Z'))).toBe('2027-01-02');
    expect(() => todayFrom({ IMAGESMITH_TODAY: '' })).toThrow(/IMAGESMITH_TODAY="" is not a date/);
    expect(() => todayFrom({ IMAGESMITH_TODAY: '2026-13-01' })).toThrow(/YYYY-MM-DD/);
  });
});
