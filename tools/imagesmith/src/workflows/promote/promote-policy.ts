import { DEFAULT_PROMOTE_REQUIRES, type WorkspaceConfig } from '@imagesmith/core';

/** One entry of promote.requires: what must verify at the image's digest before it is copied. */
export type Requirement =
  { kind: 'signature'; text: 'signature' } | { kind: 'validate'; text: string; hardware?: string };

/** The policy promote applies: imagesmith.json's promote.requires, else the default. */
export interface PromotePolicyInEffect {
  requires: Requirement[];
  /** Where it came from, as a refusal names it. */
  source: string;
}

/** `signature`, `validate`, `validate:gpu` as requirements (the schema already refused others). Pure. */
export function parseRequirement(text: string): Requirement {
  if (text === 'signature') return { kind: 'signature', text };
  const m = /^validate(?::(.+))?$/.exec(text);
  if (!m)
    throw new Error(
      `internal error: promote.requires entry "${text}" passed the schema; please report it`,
    );
  return m[1] ? { kind: 'validate', text, hardware: m[1] } : { kind: 'validate', text };
}

/** The policy of a configuration. Pure. */
export function promotePolicy(config: Pick<WorkspaceConfig, 'promote'>): PromotePolicyInEffect {
  const configured = config.promote?.requires;
  return {
    requires: (configured ?? DEFAULT_PROMOTE_REQUIRES).map(parseRequirement),
    source: configured
      ? 'promote.requires in imagesmith.json'
      : `the default promote.requires (${JSON.stringify(DEFAULT_PROMOTE_REQUIRES)}; set "promote": {"requires": [...]} in imagesmith.json to change it)`,
  };
}

/**
 * What to do about a requirement that did not verify: make it true, or drop it from the policy.
 * Pure; `why` is the verifier's reason.
 */
export function refusalLine(r: Requirement, why: string, policy: PromotePolicyInEffect): string {
  const drop = `or drop "${r.text}" from ${policy.source.startsWith('the default') ? 'promote.requires (write it in imagesmith.json without it)' : policy.source}`;
  if (r.kind === 'signature')
    return `lacks a verified signature (${why}): sign it with push (signing.key in imagesmith.json or COSIGN_KEY), ${drop}`;
  return `lacks a passing ${r.text} attestation: ${why}, ${drop}`;
}
