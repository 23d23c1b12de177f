import { createHash } from 'node:crypto';
import { readCachedJson, writeCachedJson } from '../cache/module-cache';
import type { ProfileDefinition } from '../profiles/types';
import type { LoadedSpec } from '../image-spec/types';
import type { SpecSource } from './validate-catalogue';

/**
 * Validating the catalogue (YAML with positions, JSON Schema, named rules) is most of what a
 * no-change `nx sync` costs, and its result depends only on the spec and profile texts and on the
 * code. A valid result is kept in the tool cache (node_modules/.cache/imagesmith/workspaces) and in
 * memory, keyed by those texts and by the build id that tools/imagesmith/bundle.cjs sets: a hash
 * of the sources the running bundle was made from. Without a build id (running from sources, as
 * the tests do) nothing is cached, so a change to a rule can never be hidden by an old result.
 */
export interface ValidatedInputs {
  specs: LoadedSpec[];
  profiles: Record<string, ProfileDefinition>;
}

const memo = new Map<string, ValidatedInputs>();

function buildId(): string | undefined {
  return (globalThis as { __IMAGESMITH_BUILD__?: string }).__IMAGESMITH_BUILD__;
}

export function validationKey(
  sources: SpecSource[],
  profileTexts: [string, string][],
): string | undefined {
  const id = buildId();
  if (!id) return undefined;
  const hash = createHash('sha256').update(id);
  for (const s of sources) hash.update(`\0spec\0${s.name}\0${s.text}`);
  for (const [name, text] of profileTexts) hash.update(`\0profile\0${name}\0${text}`);
  return hash.digest('hex');
}

export function readValidated(key: string | undefined): ValidatedInputs | undefined {
  if (!key) return undefined;
  const known = memo.get(key) ?? readCachedJson<ValidatedInputs>('workspaces', key);
  if (known) memo.set(key, known);
  return known;
}

export function writeValidated(key: string | undefined, value: ValidatedInputs): void {
  if (!key || memo.has(key)) return;
  memo.set(key, value);
  writeCachedJson('workspaces', key, value);
}
