import { sbomCheck } from '../sbom/sbom-verify-check';
import { signatureCheck } from './signature-check';
import { validationCheck } from './validation-check';
import type { VerifyCheck } from './verify-check';

/**
 * What `imagesmith verify` checks on every reference, in this order. A new requirement (an SBOM
 * or validation attestation) is one more VerifyCheck here, in a file of its own.
 */
export const VERIFY_CHECKS: readonly VerifyCheck[] = [signatureCheck, sbomCheck, validationCheck];
