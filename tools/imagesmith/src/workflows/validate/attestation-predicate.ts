import type { Check } from '@imagesmith/plan';
import type { CaseResult } from './junit';

/**
 * The in-toto predicate type of a validate result (cosign `attest --type <this URI>`). Versioned:
 * a reader refuses a predicate whose shape it does not know rather than guess at it.
 */
export const VALIDATE_PREDICATE_TYPE = 'https://imagesmith.dev/attestations/validate/v1';

/** One check of the contract as the attesting runner saw it. */
export interface AttestedCheck {
  name: string;
  /** The image whose spec declares the check (CaseResult.classname, Check.from). */
  classname: string;
  /** The hardware the check needs (`gpu`, `neuron`); absent for a check any runner can run. */
  requires?: string;
  result: CaseResult['status'];
  /** Why it failed or was skipped (at most MESSAGE_LIMIT characters). */
  message?: string;
}

/** The runner that validated: what it offered the checks and what it ran them with. */
export interface AttestingRunner {
  /** RUNNER_NAME (CI runners set it), else the host name: for people reading the line, not trusted. */
  name: string;
  /** The hardware it offered containers (validate.ts detectHardware), sorted. */
  hardware: string[];
  engine: { name: string; version: string };
  imagesmith: string;
  /** The runner's own os/arch, e.g. linux/amd64. */
  platform: string;
}

/** What `validate` attests on an image's registry digest. */
export interface ValidationPredicate {
  /** The variant validated (its image name, or `image-variant` of a matrix image). */
  image: string;
  /** @imagesmith/plan contractHash of the checks: a result only counts for the same contract. */
  contract: string;
  /** The platform of a multi-platform image the checks ran on; absent for a one-platform image. */
  platform?: string;
  /** failed when any check failed: such a predicate is a record, it never satisfies a check. */
  result: 'passed' | 'failed';
  checks: AttestedCheck[];
  runner: AttestingRunner;
}

/** A check's message is kept short: the predicate is a record, the full output is in the runner's log. */
export const MESSAGE_LIMIT = 500;

/**
 * The predicate of one validate run: `cases` are evaluateChecks' results for `checks`, in the same
 * order (a multi-platform run's case names carry " on <platform>"; the predicate keeps the check's
 * own name and the platform apart). Pure.
 */
export function buildPredicate(input: {
  image: string;
  checks: readonly Check[];
  contract: string;
  cases: readonly CaseResult[];
  runner: AttestingRunner;
  platform?: string;
}): ValidationPredicate {
  const { checks, cases } = input;
  if (checks.length !== cases.length)
    throw new Error(
      `internal error: ${checks.length} checks but ${cases.length} results for ${input.image}; please report it`,
    );
  const attested = checks.map((c, i): AttestedCheck => {
    const r = cases[i]!;
    const message = r.message?.slice(0, MESSAGE_LIMIT);
    return {
      name: c.name,
      classname: c.from,
      ...(c.requires ? { requires: c.requires } : {}),
      result: r.status,
      ...(message ? { message } : {}),
    };
  });
  return {
    image: input.image,
    contract: input.contract,
    ...(input.platform ? { platform: input.platform } : {}),
    result: attested.some((c) => c.result === 'failed') ? 'failed' : 'passed',
    checks: attested,
    runner: { ...input.runner, hardware: [...input.runner.hardware].sort() },
  };
}

/** An in-toto Statement (v0.1 or v1) as cosign signs it: https://github.com/in-toto/attestation */
export interface Statement {
  subject: { name?: string; digest: Record<string, string> }[];
  predicateType: string;
  predicate: unknown;
}

/**
 * The validate predicate of a signed statement about `digest` (sha256:<hex>), or why it is not
 * one: another predicate type, a subject other than that digest, or a shape this version does not
 * know. Pure.
 */
export function parseStatement(
  statement: unknown,
  digest: string,
): { predicate: ValidationPredicate } | { reason: string } {
  if (!isRecord(statement)) return { reason: 'the statement is not a JSON object' };
  if (statement.predicateType !== VALIDATE_PREDICATE_TYPE)
    return { reason: `predicate type ${String(statement.predicateType)}` };
  const want = digest.replace(/^sha256:/, '');
  const subjects = Array.isArray(statement.subject) ? statement.subject : [];
  const about = subjects.some((s) => isRecord(s) && isRecord(s.digest) && s.digest.sha256 === want);
  if (!about) return { reason: `its subject is not ${digest}` };
  const why = predicateProblem(statement.predicate);
  return why
    ? { reason: `its predicate is not a validate/v1 predicate (${why})` }
    : { predicate: statement.predicate as ValidationPredicate };
}

const STATUSES = ['passed', 'failed', 'skipped'];

/** What is wrong with a predicate's shape, or undefined. Pure. */
export function predicateProblem(p: unknown): string | undefined {
  if (!isRecord(p)) return 'not an object';
  for (const key of ['image', 'contract'] as const)
    if (typeof p[key] !== 'string' || p[key] === '') return `${key} is not a string`;
  if (p.platform !== undefined && typeof p.platform !== 'string') return 'platform is not a string';
  if (p.result !== 'passed' && p.result !== 'failed') return 'result is not passed or failed';
  if (!Array.isArray(p.checks)) return 'checks is not a list';
  for (const [i, c] of p.checks.entries()) {
    if (!isRecord(c)) return `checks[${i}] is not an object`;
    if (typeof c.name !== 'string' || typeof c.classname !== 'string')
      return `checks[${i}] lacks name or classname`;
    if (c.requires !== undefined && typeof c.requires !== 'string')
      return `checks[${i}].requires is not a string`;
    if (!STATUSES.includes(c.result as string)) return `checks[${i}].result is ${String(c.result)}`;
  }
  // A "passed" predicate with a failed check is not one this code wrote.
  if (p.result === 'passed' && p.checks.some((c) => (c as AttestedCheck).result === 'failed'))
    return 'result is passed but a check failed';
  const r = p.runner;
  if (!isRecord(r)) return 'runner is not an object';
  if (typeof r.name !== 'string') return 'runner.name is not a string';
  if (!Array.isArray(r.hardware) || r.hardware.some((h) => typeof h !== 'string'))
    return 'runner.hardware is not a list of names';
  if (!isRecord(r.engine) || typeof r.engine.name !== 'string')
    return 'runner.engine is not an object with a name';
  return undefined;
}

/** How a line names the runner of an attestation: `gpu-runner-3 (gpu)`, `ci-7 (no special hardware)`. Pure. */
export function runnerLabel(r: Pick<AttestingRunner, 'name' | 'hardware'>): string {
  return `${r.name} (${r.hardware.length > 0 ? r.hardware.join(', ') : 'no special hardware'})`;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
