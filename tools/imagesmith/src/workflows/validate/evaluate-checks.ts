import type { ImageInfo } from '@imagesmith/engine';
import type { CaseResult } from './junit';
import type { CommandResult, ContainerResults } from './validate-script';
import type { Check } from '@imagesmith/plan';

/** Hardware this host offers to containers: gpu, neuron. */
export type Hardware = Set<string>;

const HARDWARE_NAMES: Record<string, string> = {
  gpu: 'an NVIDIA GPU',
  neuron: 'an AWS Neuron device',
};

/** Turn raw container and inspect results into pass/fail/skip per check. Pure. */
export function evaluateChecks(
  checks: Check[],
  info: ImageInfo,
  results: ContainerResults,
  hardwareResults: ContainerResults | undefined,
  hardware: Hardware,
): CaseResult[] {
  return checks.map((c, i) => {
    const base = { name: c.name, classname: c.from };
    const pass = (): CaseResult => ({ ...base, status: 'passed' });
    const fail = (message: string): CaseResult => ({ ...base, status: 'failed', message });
    const skip = hardwareSkip(c, hardware);
    if (skip) return skip;
    switch (c.kind) {
      case 'command':
        return commandCase(c, (c.requires ? hardwareResults : results)?.commands.get(i));
      case 'file-exists':
        if (results.files.get(i)) return pass();
        return fail(
          c.executable
            ? `${c.path} is not an executable file in the image (for its user)`
            : `${c.path} does not exist in the image`,
        );
      case 'file-absent':
        return results.files.get(i) === false ? pass() : fail(`${c.path} exists in the image`);
      case 'env': {
        const actual = info.env[c.key!];
        return actual === c.expected
          ? pass()
          : fail(
              `${c.key} is ${actual === undefined ? 'not set' : `"${actual}"`}, expected "${c.expected}"`,
            );
      }
      case 'import':
        return importCase(c, results.imports[c.key!]);
      case 'non-root': {
        const user = info.user.split(':')[0] ?? '';
        if (user === '' || user === 'root' || user === '0')
          return fail(`the image's user is "${info.user || 'root'}"; set a non-root USER`);
        return results.uid === 0 ? fail('processes run with uid 0') : pass();
      }
      case 'size': {
        const mb = info.sizeBytes / 1e6;
        return mb <= Number(c.expected)
          ? pass()
          : fail(`${mb.toFixed(1)} MB exceeds the budget of ${c.expected} MB`);
      }
    }
  });
}

/** A check needing hardware this host lacks, as skipped with the reason; undefined otherwise. Pure. */
export function hardwareSkip(c: Check, hardware: Hardware): CaseResult | undefined {
  if (!c.requires || hardware.has(c.requires)) return undefined;
  return {
    name: c.name,
    classname: c.from,
    status: 'skipped',
    message: `needs ${HARDWARE_NAMES[c.requires] ?? c.requires}, which this host does not have (set IMAGESMITH_HARDWARE=${c.requires} on a host that does)`,
  };
}

/** A command check's case from what its process did (undefined: it never ran). Pure. */
export function commandCase(c: Check, r: CommandResult | undefined): CaseResult {
  const base = { name: c.name, classname: c.from };
  const fail = (message: string): CaseResult => ({ ...base, status: 'failed', message });
  if (!r) return fail('the check did not run (the container stopped early)');
  if (r.timedOutAfter !== undefined)
    return fail(
      `timed out after ${r.timedOutAfter} s and was stopped (per-check limit: IMAGESMITH_CHECK_TIMEOUT); output: ${tail(r.output)}`,
    );
  const want = c.command?.exit_code ?? 0;
  if (r.code !== want)
    return fail(`exit code ${r.code}, expected ${want}; output: ${tail(r.output)}`);
  const pattern = c.command?.output;
  if (pattern !== undefined && r.match === 'timeout')
    return fail(
      `the output pattern /${pattern}/ of image ${c.from} took too long to evaluate (IMAGESMITH_REGEX_TIMEOUT_MS; nested repeats such as (a+)+ backtrack): simplify tests.commands "${c.name}".output in images/${c.from}/image.yaml`,
    );
  if (pattern !== undefined && r.match !== 'match')
    return fail(`output does not match /${pattern}/: ${tail(r.output)}`);
  return { ...base, status: 'passed' };
}

/** An import check's case from its process's answer. Pure. */
export function importCase(
  c: Check,
  r: ContainerResults['imports'][string] | undefined,
): CaseResult {
  const base = { name: c.name, classname: c.from };
  if (!r?.ok)
    return {
      ...base,
      status: 'failed',
      message: `cannot import ${c.key}: ${r?.error ?? 'no result'}`,
    };
  return !c.expected || (r.version ?? '').startsWith(c.expected)
    ? { ...base, status: 'passed' }
    : {
        ...base,
        status: 'failed',
        message: `${c.key} is version ${r.version}, expected ${c.expected}*`,
      };
}

function tail(s: string): string {
  const t = s.trim();
  return t.length > 300 ? `…${t.slice(-300)}` : t || '(no output)';
}
