import { LockError } from './errors';
import { describeMissing, findMissingPackages, MissingPackageError } from './missing-packages';
import type { AskIndex } from './package-index';

export interface SourceRef {
  name: string;
  url: string;
}

const UNREACHABLE =
  /All attempts to connect to (\S+) failed|Max retries exceeded|Failed to establish a new connection|Connection refused|Name or service not known|Temporary failure in name resolution|Read timed out/i;
const NO_PYTHON = /unable to find a compatible version|is not allowed by the project/i;
const UNSOLVABLE =
  /version solving failed|doesn't match any versions|No packages found|SolverProblemError/i;

/**
 * Turn a failed `poetry lock` into a LockError that names the cause and the fix. An unreachable
 * source is named by URL: Poetry's own message gives only host:port, so match it against the
 * project's sources, and probe them when the host is not in the output.
 */
export async function explainPoetryFailure(
  output: string,
  ctx: {
    dir: string;
    exitCode?: number;
    sources: SourceRef[];
    /** Whether a poetry.lock existed before this run (it is then left as it was). */
    hadLock?: boolean;
    probe?: (url: string) => Promise<boolean>;
    /** The pyproject.toml Poetry locked (mirror applied): which index each dependency comes from. */
    pyproject?: string;
    /** Package names the workspace already uses, for "did you mean" (read only on this path). */
    knownPackages?: () => readonly string[];
    ask?: AskIndex;
  },
): Promise<LockError> {
  const unchanged = ctx.hadLock
    ? 'The previous poetry.lock was left unchanged.'
    : 'No poetry.lock was written.';
  const unreachable = UNREACHABLE.exec(output);
  if (unreachable) {
    const host = unreachable[1];
    let down = host ? ctx.sources.filter((s) => hostOf(s.url) === host) : [];
    if (down.length === 0) down = await probeAll(ctx.sources, ctx.probe ?? reachable);
    const named =
      down.length > 0 ? down.map((s) => `"${s.name}" (${s.url})`).join(', ') : (host ?? 'a source');
    return new LockError(
      `Poetry could not reach package source ${named} while locking ${ctx.dir}.`,
      {
        hint: `Check that the URL is right (hardware profile) and reachable from this machine, then lock again. ${unchanged}`,
        output,
      },
    );
  }
  const python = /supported by the project \(([^)]+)\)|allowed by the project \(([^)]+)\)/.exec(
    output,
  );
  if (NO_PYTHON.test(output)) {
    const range = python?.[1] ?? python?.[2] ?? "the image's python";
    return new LockError(
      `Poetry needs a Python interpreter matching ${range} to lock ${ctx.dir}.`,
      {
        hint: `Install that Python so Poetry finds it on PATH (e.g. \`pyenv install <version>\` or \`poetry python install <version>\`). ${unchanged}`,
        output,
      },
    );
  }
  if (UNSOLVABLE.test(output)) {
    // A name no index has (a typo) reads like a constraint conflict; the index tells them apart.
    const missing = ctx.pyproject
      ? await findMissingPackages(output, ctx.pyproject, {
          known: ctx.knownPackages,
          ask: ctx.ask,
        })
      : [];
    if (missing.length > 0) {
      const described = missing.map(describeMissing);
      return new MissingPackageError(
        missing,
        `${described.map((d) => d.message).join('; ')} (while locking ${ctx.dir})`,
        { hint: `${described.map((d) => d.hint).join('; ')}. ${unchanged}`, output },
      );
    }
    return new LockError(`Poetry could not resolve the Python packages of ${ctx.dir}.`, {
      hint: `Relax the conflicting constraints named above in image.yaml, regenerate and lock again. ${unchanged}`,
      output,
    });
  }
  return new LockError(
    `\`poetry lock\` failed${ctx.exitCode === undefined ? '' : ` (exit code ${ctx.exitCode})`} for ${ctx.dir}.`,
    {
      hint: `Read Poetry's output above; \`poetry lock -vvv\` next to the pyproject.toml shows more. ${unchanged}`,
      output,
    },
  );
}

function hostOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.port ? `${u.hostname}:${u.port}` : u.hostname;
  } catch {
    return undefined;
  }
}

async function probeAll(
  sources: SourceRef[],
  probe: (url: string) => Promise<boolean>,
): Promise<SourceRef[]> {
  const up = await Promise.all(sources.map((s) => probe(s.url)));
  return sources.filter((_, i) => !up[i]);
}

/** Any HTTP answer counts as reachable (an index may answer 404 at its root). */
async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(url, { method: 'GET', signal: AbortSignal.timeout(5_000) });
    return true;
  } catch {
    return false;
  }
}
