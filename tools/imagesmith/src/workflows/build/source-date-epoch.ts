import { UsageError } from '@imagesmith/core';
import { gitOutput } from './git-output';

function headCommitTime(root: string): string | undefined {
  return gitOutput(root, ['log', '-1', '--format=%ct']);
}

/**
 * The time a build stamps on the image and its layer files (buildah/podman `--timestamp`), so the
 * same inputs give the same image id: SOURCE_DATE_EPOCH when set
 * (https://reproducible-builds.org/specs/source-date-epoch/), else the committer time of HEAD (the
 * commit the image's revision label names), else none (the engine uses the current time).
 */
export function sourceDateEpoch(
  root: string,
  env: NodeJS.ProcessEnv = process.env,
  commitTime: (root: string) => string | undefined = headCommitTime,
): number | undefined {
  const raw = env.SOURCE_DATE_EPOCH?.trim();
  if (raw) {
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)))
      throw new UsageError(
        `SOURCE_DATE_EPOCH="${raw}" is not a whole number of seconds since 1970: set it to e.g. $(git log -1 --format=%ct), or unset it to use the last commit's time`,
      );
    return Number(raw);
  }
  const fromGit = commitTime(root);
  return fromGit && /^\d+$/.test(fromGit) ? Number(fromGit) : undefined;
}
