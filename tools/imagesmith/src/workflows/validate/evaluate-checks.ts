import type { ImageInfo } from '@imagesmith/engine';
import type { CaseResult } from './junit';
import type { ContainerResults } from './validate-script';
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
    if (c.requires && !hardware.has(c.requires)) {
      return {
        ...base,
        status: 'skipped',
        message: `needs ${HARDWARE_NAMES[c.requires] ?? c.requires}, which this host does not have (set IMAGESMITH_HARDWARE=${c.requires} on a host that does)`,
      };
    }
    switch (c.kind) {
      case 'command': {
        const r = (c.requires ? hardwareResults : results)?.commands.get(i);
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
        return pass();
      }
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
      case 'import': {
        const r = results.imports[c.key!];
        if (!r?.ok) return fail(`cannot import ${c.key}: ${r?.error ?? 'no result'}`);
        return !c.expected || (r.version ?? '').startsWith(c.expected)
          ? pass()
          : fail(`${c.key} is version ${r.version}, expected ${c.expected}*`);
      }
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

function tail(s: string): string {
  const t = s.trim();
  return t.length > 300 ? `…${t.slice(-300)}` : t || '(no output)';
}
