import type { CosignKey, CosignOptions } from '@imagesmith/engine';

/** What every check of one `verify` run shares: the public key and how cosign runs. */
export interface VerifyContext {
  root: string;
  publicKey: CosignKey;
  cosign: CosignOptions;
}

/** One check's answer for one reference: the line `verify` prints after the check's name. */
export interface CheckResult {
  ok: boolean;
  line: string;
  /** For a failure: what to do about it (verify's error ends with each distinct hint). */
  hint?: string;
}

/**
 * One thing `verify` requires of a published reference (its signature; an SBOM or validation
 * attestation). Checks are independent: each runs on every reference and reports its own line.
 */
export interface VerifyCheck {
  name: string;
  check(ref: string, ctx: VerifyContext): Promise<CheckResult>;
}
