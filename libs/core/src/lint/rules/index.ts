import { pipUnpinned } from './pip-unpinned';
import { productionLast } from './production-last';
import { rootFinalUser } from './root-final-user';
import type { LintRule } from '../types';

/**
 * imagesmith's own rules, for what hadolint cannot express; they run on the dockerfile-ast parse
 * after hadolint (configured by .hadolint.yaml). Rules hadolint has are not repeated here:
 * pip --no-cache-dir (DL3042), ADD for local files (DL3020), untagged or latest images (DL3006,
 * DL3007), apt lists left in a layer (DL3009, which knows cache mounts).
 */
export const RULES: readonly LintRule[] = [pipUnpinned, productionLast, rootFinalUser];
