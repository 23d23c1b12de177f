import type { Diagnostic } from '../../errors';
import { at, type Rule } from './rule';

// One path segment: no `.`/`..`, nothing hidden (.git, .imagesmith), nothing a Dockerfile or a
// shell would read as syntax (spaces, quotes, $, globs).
const SEGMENT = /^[A-Za-z0-9_@+-][A-Za-z0-9._@+-]*$/;

// Where copied files would break the image or the container: the venv, kernel filesystems, and
// the top-level system folders themselves.
const INSIDE_REFUSED = ['/proc', '/sys', '/dev', '/opt/venv'];
const EXACT_REFUSED = [
  '/bin',
  '/boot',
  '/etc',
  '/lib',
  '/lib64',
  '/opt',
  '/root',
  '/sbin',
  '/usr',
  '/var',
  '/tmp',
  '/home',
];

/** The segments of a relative path inside the image folder, or why it is not one. */
export function srcProblem(src: string): string | undefined {
  if (src.startsWith('/')) return 'is absolute';
  const parts = src.replace(/\/+$/, '').split('/');
  if (parts.some((p) => p === '..')) return 'leaves the image folder (..)';
  if (parts.some((p) => !SEGMENT.test(p)))
    return 'has an empty, hidden (.name) or unsafe part (only letters, digits and . _ @ + - are allowed)';
  return undefined;
}

export function destProblem(dest: string): string | undefined {
  if (!dest.startsWith('/')) return 'is not an absolute path';
  const trimmed = dest.replace(/\/+$/, '');
  if (trimmed === '') return 'is the root folder';
  const parts = trimmed.slice(1).split('/');
  if (parts.some((p) => p === '..' || p === '.')) return 'has a . or .. part';
  if (parts.some((p) => !SEGMENT.test(p)))
    return 'has an empty, hidden (.name) or unsafe part (only letters, digits and . _ @ + - are allowed)';
  if (EXACT_REFUSED.includes(trimmed)) return `would put files straight into ${trimmed}`;
  const inside = INSIDE_REFUSED.find((d) => trimmed === d || trimmed.startsWith(`${d}/`));
  if (inside) return `is inside ${inside}`;
  return undefined;
}

/** spec `files:` src stays inside images/<name>/ and dest is a sane absolute path (IO checks: files-context.ts). */
export const copiedFiles: Rule = {
  id: 'copied-files',
  check(ctx) {
    const out: Diagnostic[] = [];
    (ctx.spec.files ?? []).forEach((f, i) => {
      const src = srcProblem(f.src);
      if (src)
        out.push(
          at(
            ctx,
            ['files', i, 'src'],
            `"${f.src}" ${src}`,
            `name a file or folder inside images/${ctx.name}/ relative to it, e.g. app/`,
          ),
        );
      const dest = destProblem(f.dest);
      if (dest)
        out.push(
          at(
            ctx,
            ['files', i, 'dest'],
            `"${f.dest}" ${dest}`,
            'give an absolute folder of its own in the image, e.g. /app or /srv/model',
          ),
        );
    });
    return out;
  },
};
