import { parse } from 'smol-toml';
// execa is ESM-only: loaded lazily so the CommonJS CLI (run through tsx) can use this module.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@imagesmith/core';
import { checkPoetry } from './check-poetry';
import { diffLocks, type PackageChange } from './diff-locks';
import { LockError } from './errors';
import { makeLockTempDir } from './lock-temp-dir';
import { parseLock, type LockedPackage } from './parse-lock';
import { explainPoetryFailure, type SourceRef } from './poetry-failure';
import { watchedCommand } from './poetry-watchdog';
import {
  lockWithSourceUrl,
  restoreSource,
  withSourceUrl,
  type SourceOverride,
} from './source-override';

export interface RunPoetryLockOptions {
  /** Folder holding pyproject.toml (and poetry.lock, if locked before). */
  dir: string;
  /** Take newer versions: `poetry lock --regenerate`. Without it, locked versions are kept. */
  update?: boolean;
  /** Poetry executable; default `poetry` on PATH. */
  poetry?: string;
  /** Added to process.env for Poetry (e.g. POETRY_CACHE_DIR). */
  env?: NodeJS.ProcessEnv;
  /**
   * Poetry's output, line by line as it comes. A caller that takes it shows it: the LockError of a
   * failed lock then does not quote it again (without onOutput, the message carries it).
   */
  onOutput?: (line: string) => void;
  /** Stops Poetry; the previous poetry.lock stays as it was. */
  signal?: AbortSignal;
  /** Sources resolved from another URL (a mirror); the committed files never name it. */
  sourceOverrides?: SourceOverride[];
  /**
   * The pyproject.toml to lock when it is not written yet (default: the one in `dir`): a caller
   * writes it, with the files made from the lock, only once Poetry succeeded.
   */
  pyproject?: string;
  /** Package names the workspace uses: "did you mean" for a package no index has (read lazily). */
  knownPackages?: () => readonly string[];
}

const PYPI: SourceRef = { name: 'PyPI', url: 'https://pypi.org/simple/' };

/**
 * Lock one image atomically: Poetry works on copies in a temp folder and the new poetry.lock is
 * renamed into place only after Poetry succeeded, so a failed or interrupted lock leaves the old
 * file byte-identical. Poetry 2's `poetry lock` keeps already locked versions and
 * `--regenerate` re-resolves from scratch (https://python-poetry.org/docs/cli/#lock).
 */
export async function runPoetryLock(
  opts: RunPoetryLockOptions,
): Promise<{ changed: PackageChange[] }> {
  const poetry = opts.poetry ?? 'poetry';
  const env = poetryEnv(opts.env);
  await checkPoetryOnce(poetry, env);
  const pyprojectPath = join(opts.dir, 'pyproject.toml');
  const lockPath = join(opts.dir, 'poetry.lock');
  if (opts.pyproject === undefined && !existsSync(pyprojectPath)) {
    throw new LockError(`${pyprojectPath} does not exist.`, {
      hint: 'Generate it first: imagesmith generate.',
    });
  }
  const pyproject = opts.pyproject ?? readFileSync(pyprojectPath, 'utf8');
  const previous = existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : undefined;

  // Named after this pid: a run that was SIGKILLed leaves it, and the next run removes it.
  const work = makeLockTempDir();
  try {
    // Poetry takes a source's URL only from pyproject.toml (its `repositories.<name>` config is
    // for publishing), so a mirror is applied to the copy it works on and taken out afterwards.
    const overrides = opts.sourceOverrides ?? [];
    const resolved = overrides.reduce((text, o) => withSourceUrl(text, o.name, o.url), pyproject);
    writeFileSync(join(work, 'pyproject.toml'), resolved);
    if (previous !== undefined)
      writeFileSync(
        join(work, 'poetry.lock'),
        overrides.reduce((text, o) => lockWithSourceUrl(text, o.name, o.url), previous),
      );
    const args = [
      'lock',
      '--no-interaction',
      '--no-ansi',
      ...(opts.update ? ['--regenerate'] : []),
    ];
    // Under the watchdog: Poetry dies with this process, however it dies (poetry-watchdog.ts).
    const [file, argv] = watchedCommand(poetry, args);
    const sub = (await import('execa')).execa(file, argv, {
      cwd: work,
      env,
      extendEnv: false,
      all: true,
      reject: false,
      stdin: 'pipe', // the watchdog's lifeline: closed by the kernel when this process dies
      cancelSignal: opts.signal,
      // The watchdog escalates to SIGKILL of Poetry's group after 5 s itself.
      forceKillAfterDelay: 10_000,
    });
    forwardLines(sub.all, opts.onOutput);
    const result = await sub;
    if (result.isCanceled) {
      throw new LockError(`Locking ${opts.dir} was cancelled.`, {
        hint: `Run \`imagesmith lock\` again; ${previous === undefined ? 'no poetry.lock was written' : 'the previous poetry.lock was left unchanged'}.`,
      });
    }
    if (result.failed) {
      const error = await explainPoetryFailure(String(result.all ?? ''), {
        dir: opts.dir,
        exitCode: result.exitCode,
        sources: sourcesOf(resolved), // a failure names the mirror actually asked
        hadLock: previous !== undefined,
        pyproject: resolved,
        knownPackages: opts.knownPackages,
      });
      throw opts.onOutput ? error.withoutOutput() : error;
    }
    const next = overrides.reduce(
      (text, o) => restoreSource(text, pyproject, o),
      readFileSync(join(work, 'poetry.lock'), 'utf8'),
    );
    const changed = diffLocks(previous === undefined ? [] : safeParse(previous), parseLock(next));
    // A full disk is a FileWriteError naming poetry.lock; the old lock stays as it was.
    if (next !== previous) writeFileAtomic(lockPath, next);
    return { changed };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// `poetry --version` costs about a second; locking a whole catalogue asks once per executable.
const checked = new Map<string, Promise<string>>();

function checkPoetryOnce(poetry: string, env: NodeJS.ProcessEnv): Promise<string> {
  const key = `${poetry}\0${env.PATH ?? ''}`;
  let version = checked.get(key);
  if (!version) {
    version = checkPoetry(poetry, env);
    version.catch(() => checked.delete(key)); // a fixed installation is seen on the next call
    checked.set(key, version);
  }
  return version;
}

/**
 * Poetry 2 creates a virtualenv even for `lock` (and picks an interpreter matching the project's
 * python, e.g. 3.10 for a py3.10 variant). Put it inside the temp folder so it goes away with it
 * instead of piling up in Poetry's cache (the temp path differs each run), and skip seeding pip.
 * An activated virtualenv would be used instead, and rejected for a different Python: drop it.
 */
function poetryEnv(extra: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...extra,
    POETRY_VIRTUALENVS_IN_PROJECT: 'true',
    POETRY_VIRTUALENVS_OPTIONS_NO_PIP: 'true',
  };
  delete env.VIRTUAL_ENV;
  return env;
}

function safeParse(text: string): LockedPackage[] {
  try {
    return parseLock(text);
  } catch {
    return []; // an old or broken lock: report every package as new
  }
}

/** The project's sources; with no primary source Poetry also uses PyPI. */
function sourcesOf(pyproject: string): SourceRef[] {
  try {
    const doc = parse(pyproject) as {
      tool?: { poetry?: { source?: { name: string; url: string; priority?: string }[] } };
    };
    const sources = doc.tool?.poetry?.source ?? [];
    const primary = sources.some((s) => (s.priority ?? 'primary') === 'primary');
    return [...sources.map((s) => ({ name: s.name, url: s.url })), ...(primary ? [] : [PYPI])];
  } catch {
    return [];
  }
}

function forwardLines(
  stream: NodeJS.ReadableStream | undefined | null,
  onOutput?: (line: string) => void,
): void {
  if (!stream || !onOutput) return;
  let rest = '';
  stream.on('data', (chunk: Buffer | string) => {
    const lines = (rest + chunk.toString()).split(/\r?\n/);
    rest = lines.pop() ?? '';
    lines.forEach(onOutput);
  });
  stream.on('end', () => rest && onOutput(rest));
}
