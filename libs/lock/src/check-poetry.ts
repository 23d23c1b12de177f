// execa is ESM-only: loaded lazily so the CommonJS CLI (run through tsx) can use this module.
import { LockError } from './errors';

const INSTALL = "pip install 'poetry>=2,<3'";

/**
 * The Poetry version, or a LockError saying how to install Poetry 2. Poetry 1 cannot be used:
 * its `poetry lock` re-resolves by default and its lock files lack per-package groups.
 * https://python-poetry.org/blog/announcing-poetry-2.0.0/
 */
export async function checkPoetry(poetry = 'poetry', env?: NodeJS.ProcessEnv): Promise<string> {
  const result = await (
    await import('execa')
  ).execa(poetry, ['--version', '--no-ansi'], {
    env,
    reject: false,
    stdin: 'ignore',
    timeout: 60_000,
  });
  // ENOENT, or a pyenv shim whose Python has no poetry (exit 127).
  if (result.failed && (result.code === 'ENOENT' || result.exitCode === 127)) {
    throw new LockError(`Poetry was not found (tried \`${poetry}\`).`, {
      hint: `Install Poetry 2: ${INSTALL}`,
      cause: result,
    });
  }
  const version = /version (\d+\.\d+[0-9A-Za-z.+-]*)/.exec(String(result.stdout))?.[1];
  if (result.failed || !version) {
    throw new LockError(`\`${poetry} --version\` failed or printed no version.`, {
      hint: `Check the Poetry installation, or reinstall it: ${INSTALL}`,
      output: `${String(result.stdout)}\n${String(result.stderr)}`,
      cause: result,
    });
  }
  if (Number(version.split('.')[0]) < 2) {
    throw new LockError(`Poetry ${version} is too old: imagesmith needs Poetry 2.`, {
      hint: `Upgrade it: ${INSTALL}`,
    });
  }
  return version;
}
