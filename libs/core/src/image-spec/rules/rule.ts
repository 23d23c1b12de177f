import type { Diagnostic } from '../../errors';
import type { Profile } from '../../profiles/types';
import type { FieldPath, ParsedDocument } from '../parse-document';
import { formatPath } from '../parse-document';
import type { ImageSpec } from '../types';

export interface RuleContext {
  name: string;
  file: string;
  spec: ImageSpec;
  doc: ParsedDocument;
  /** Every schema-valid spec in the catalogue, by image name. */
  specs: ReadonlyMap<string, ImageSpec>;
  /** Every image folder's name, valid or not: a command loads only its images and their ancestors. */
  catalogue?: readonly string[];
  profiles: ReadonlyMap<string, Profile>;
}

export interface Rule {
  id: string;
  check(ctx: RuleContext): Diagnostic[];
}

/** Build a diagnostic pointing at `path` in the context's file. */
export function at(
  ctx: RuleContext,
  path: FieldPath,
  message: string,
  hint: string,
  key = false,
): Diagnostic {
  const pos = ctx.doc.positionOf(path, key);
  return { file: ctx.file, ...(pos ?? {}), path: formatPath(path), message, hint };
}

export const EXTERNAL_REF =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}|@sha256:[0-9a-f]{64})$/;

export function isCatalogueRef(base: string): boolean {
  return /^[a-z0-9][a-z0-9._-]*$/.test(base) && !base.includes(':');
}

export function pythonVersions(spec: ImageSpec): string[] {
  return spec.python === undefined ? [] : Array.isArray(spec.python) ? spec.python : [spec.python];
}
