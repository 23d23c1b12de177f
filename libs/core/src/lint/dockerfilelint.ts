import { run as dockerfilelint } from 'dockerfilelint';
import { ModifiableInstruction, type Dockerfile, type Instruction } from 'dockerfile-ast';
import { cacheMountTargets } from './shell';
import type { RuleFinding } from './types';

export type DockerfilelintFinding = RuleFinding & { rule: string };

const flagsOf = (ins: Instruction) => (ins instanceof ModifiableInstruction ? ins.getFlags() : []);

/**
 * dockerfilelint checks that are wrong for the BuildKit Dockerfiles we generate, by its rule name:
 * `true` drops every finding, a predicate only those on instructions where the check misfires.
 */
const FALSE_POSITIVES: Record<string, true | ((ins: Instruction) => boolean)> = {
  // Reads `FROM ${BASE_IMAGE}`, `FROM <earlier stage>` and `FROM --platform=...` as untagged images; image-tag resolves all three.
  missing_tag: true,
  // Correct, but image-tag reports latest too (also via ARG defaults); keeping both reports each latest tag twice.
  latest_tag: true,
  // Blind to `RUN --mount=type=cache,target=/var/lib/apt`, where the lists never reach the layer; apt-lists-cleanup replaces it.
  'apt-get_missing_rm': true,
  // Same blindness for apk: with a cache mount on /var/cache/apk there is nothing to --no-cache or rm.
  'apkadd-missing_nocache_or_updaterm': (ins) => cacheMountTargets(ins).includes('/var/cache/apk'),
  // Counts ADD flags (--chown, --chmod, --checksum, --link) as extra sources, then demands a directory destination.
  add_dest_invalid: (ins) => flagsOf(ins).length > 0,
  // Its `--\w+` option regex cuts --start-period/--start-interval to `--start`, which it then calls invalid.
  invalid_format: (ins) =>
    ins.getKeyword() === 'HEALTHCHECK' && flagsOf(ins).some((f) => f.getName().includes('-')),
  // Its port regex rejects `EXPOSE ${PORT}` and ranges like 8000-8010, both valid Docker.
  invalid_port: (ins) => /\$|\d-\d/.test(ins.getArgumentsContent() ?? ''),
};

/** Better hints than the first sentence of dockerfilelint's description, for the checks we hit most. */
const HINTS: Record<string, string> = {
  'apt-get_recommends': 'Write apt-get install -y --no-install-recommends <packages>',
  'apt-get_missing_param': 'Add -y: apt-get install -y --no-install-recommends <packages>',
  'apt-get-update_require_install': 'Run apt-get update && apt-get install ... in the same RUN',
  sudo_usage: 'Drop sudo: switch with USER root before the step and USER <app user> after it',
};

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** dockerfilelint's findings, false positives removed, on the lines dockerfile-ast reports. */
export function dockerfilelintFindings(df: Dockerfile, text: string): DockerfilelintFinding[] {
  let items: ReturnType<typeof dockerfilelint>;
  try {
    // Its first argument is a directory to read a .dockerfilelintrc from; our suppressions live
    // here instead, so give it a path no file can have (a NUL byte makes the lookup fail).
    items = dockerfilelint('\0', text);
  } catch (e) {
    // It throws on some invalid input, e.g. a SHELL that is not a JSON array.
    return [
      {
        line: 1,
        rule: 'dockerfilelint/parse-error',
        severity: 'error',
        message: `dockerfilelint could not parse this file: ${(e as Error).message}`,
        hint: 'Fix the Dockerfile syntax (SHELL, for one, must be a JSON array)',
      },
    ];
  }
  const instructions = df.getInstructions();
  const findings: DockerfilelintFinding[] = [];
  for (const item of items) {
    // It reads a continued instruction starting on the first line as starting on the second.
    const ins =
      instructions.find((i) => i.getRange().start.line === item.line - 1) ??
      instructions.find(
        (i) => i.getRange().start.line === 0 && i.getRange().end.line >= item.line - 1,
      );
    // No instruction starts there: a heredoc body or an `# escape=` continuation it split into
    // bogus instructions.
    if (!ins) continue;
    const drop = FALSE_POSITIVES[item.rule];
    if (drop === true || drop?.(ins)) continue;
    const sentence = /^[^\n]*?\.(?=\s|$)/.exec(item.description)?.[0] ?? item.description;
    findings.push({
      line: ins.getRange().start.line + 1,
      rule: `dockerfilelint/${slug(item.title)}`,
      severity: item.category === 'Possible Bug' ? 'error' : 'warning',
      message: item.title.replace(/`/g, ''),
      hint: HINTS[item.rule] ?? sentence,
    });
  }
  return findings;
}
