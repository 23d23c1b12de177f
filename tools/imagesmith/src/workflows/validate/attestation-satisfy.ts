import type { Check } from '@imagesmith/plan';
import type { Hardware } from './evaluate-checks';
import type { CaseResult } from './junit';
import { runnerLabel, type ValidationPredicate } from './attestation-predicate';

/** Which checks of a contract verified attestations stand for on this runner, and which it runs. */
export interface Satisfaction {
  /** Check index -> the attestation whose passing result stands for it here. */
  attested: Map<number, ValidationPredicate>;
  /** Indices of the checks this runner runs itself: not attested, and it has their hardware. */
  run: number[];
}

/**
 * The satisfaction rule. A check is satisfied by a verified attestation (its signature and digest
 * checked by the caller) when the attestation is of the same contract and platform, its result is
 * passed (a failed attestation is a record, never a pass: not even its passing checks count), it
 * lists the check (same name, image and hardware) as passed, and, for a check that needs
 * hardware, its runner had that hardware. So a `requires: gpu` check runs once per digest on a GPU
 * runner; a CPU runner then counts it passed through that attestation, where it would skip it.
 * Every other check this runner has the hardware for is in `run`; one it lacks hardware for and
 * no attestation covers stays out of both (skipped, as without attestations). Pure.
 */
export function satisfyChecks(
  checks: readonly Check[],
  hardware: Hardware,
  predicates: readonly ValidationPredicate[],
  scope: { contract: string; platform?: string },
): Satisfaction {
  const usable = predicates.filter(
    (p) => p.result === 'passed' && p.contract === scope.contract && p.platform === scope.platform,
  );
  const attested = new Map<number, ValidationPredicate>();
  const run: number[] = [];
  checks.forEach((c, i) => {
    const by = usable.find(
      (p) =>
        (!c.requires || p.runner.hardware.includes(c.requires)) &&
        p.checks.some(
          (a) =>
            a.name === c.name &&
            a.classname === c.from &&
            a.requires === c.requires &&
            a.result === 'passed',
        ),
    );
    if (by) attested.set(i, by);
    else if (!c.requires || hardware.has(c.requires)) run.push(i);
  });
  return { attested, run };
}

/** The result of a check an attestation stands for: passed, saying by whom. Pure. */
export function attestedCase(
  check: Pick<Check, 'name' | 'from'>,
  by: ValidationPredicate,
): CaseResult {
  return {
    name: check.name,
    classname: check.from,
    status: 'passed',
    message: `passed through the verified attestation from ${runnerLabel(by.runner)}`,
  };
}

/**
 * This runner's results: `evaluated` (evaluateChecks over what ran here; in check order) with every
 * attested check replaced by its attested result. Pure.
 */
export function withAttested(
  checks: readonly Check[],
  evaluated: readonly CaseResult[],
  s: Satisfaction,
): CaseResult[] {
  return checks.map((c, i) => {
    const by = s.attested.get(i);
    return by ? attestedCase(c, by) : evaluated[i]!;
  });
}

/** The distinct runners whose attestations `s` uses, as a line names them. Pure. */
export function attestingRunners(s: Satisfaction): string[] {
  return [...new Set([...s.attested.values()].map((p) => runnerLabel(p.runner)))].sort();
}
