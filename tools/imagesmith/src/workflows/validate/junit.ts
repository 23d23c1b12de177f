export interface CaseResult {
  name: string;
  classname: string;
  status: 'passed' | 'failed' | 'skipped';
  message?: string;
}

const esc = (s: string) =>
  s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/** A JUnit XML report, the format CI systems read test results from. Pure. */
export function renderJunit(suite: string, cases: CaseResult[]): string {
  const failures = cases.filter((c) => c.status === 'failed').length;
  const skipped = cases.filter((c) => c.status === 'skipped').length;
  const body = cases.map((c) => {
    const open = `    <testcase classname="${esc(c.classname)}" name="${esc(c.name)}"`;
    if (c.status === 'passed') return `${open}/>`;
    const tag = c.status === 'failed' ? 'failure' : 'skipped';
    return `${open}>\n      <${tag} message="${esc(c.message ?? '')}"/>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${cases.length}" failures="${failures}" skipped="${skipped}">`,
    `  <testsuite name="${esc(suite)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}">`,
    ...body,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
