import { addInsteadOfCopy } from './add-instead-of-copy';
import { aptListsCleanup } from './apt-lists-cleanup';
import { imageTag } from './image-tag';
import { pipNoCacheDir } from './pip-no-cache-dir';
import { pipUnpinned } from './pip-unpinned';
import { rootFinalUser } from './root-final-user';
import type { LintRule } from '../types';

/** Our own rules, run on the dockerfile-ast parse alongside dockerfilelint. */
export const RULES: readonly LintRule[] = [
  addInsteadOfCopy,
  aptListsCleanup,
  imageTag,
  pipNoCacheDir,
  pipUnpinned,
  rootFinalUser,
];
