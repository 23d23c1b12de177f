import { rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError, writeFileAtomic, type ImageVariant } from '@imagesmith/core';
import type { Stage } from '../shared/build-plan';
import { stateDir } from '../shared/engine-context';

export interface BuildMetadata {
  image: string;
  variant: string;
  stage: Stage;
  reference: string;
  tags: string[];
  contentHash: string;
  imageId?: string;
  /** 'registry' when the builder pushed the content tag straight to the registry (nothing local). */
  output?: 'engine' | 'registry';
  /** Manifest (list) digest, when the builder reported one (always for builds pushed straight to the registry). */
  digest?: string;
  /** 'built' when the engine ran, 'present-*' when the image for this content already existed (describe-build.ts says it in words). */
  result: 'built' | 'present-local' | 'present-registry';
}

/** `<variant>/.imagesmith/build-<stage>.json`: what the last build of that stage confirmed. */
export function metadataFile(root: string, v: ImageVariant, stage: Stage): string {
  return join(stateDir(root, v), `build-${stage}.json`);
}

function kindOf(path: string): 'file' | 'directory' | 'other' | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other';
  } catch {
    return undefined;
  }
}

/**
 * Fails before any engine work when the metadata cannot be written: a folder (or something other
 * than a file) where the file goes, or a file where its folder goes. Checked first so that an
 * expensive build is not thrown away at the end with an internal EISDIR/ENOTDIR.
 */
export function checkMetadataPath(file: string): void {
  const dir = dirname(file);
  const dirKind = kindOf(dir);
  if (dirKind !== undefined && dirKind !== 'directory')
    throw new UsageError(
      `${dir} is not a folder, but imagesmith keeps its build state there (${file}); remove it (\`rm ${dir}\`: it is git-ignored state) and run the command again`,
    );
  const kind = kindOf(file);
  if (kind !== undefined && kind !== 'file')
    throw new UsageError(
      `${file} is a ${kind === 'directory' ? 'folder' : 'special file'}, but imagesmith writes the build record there; remove it (\`rm -r ${file}\`: it is git-ignored state) and run the command again`,
    );
}

/**
 * Written atomically (a temp file renamed into place), so a reader or a concurrent build never
 * sees half a record; two builds of the same content write the same bytes but the image id.
 */
export function writeMetadata(file: string, meta: BuildMetadata): void {
  checkMetadataPath(file);
  writeFileAtomic(file, `${JSON.stringify(meta, null, 2)}\n`);
}

/**
 * Before the engine builds new content the old record goes: if the build fails (or the engine
 * dies) no record may keep naming an image that is not the one these inputs make.
 */
export function forgetMetadata(file: string): void {
  rmSync(file, { force: true });
}
