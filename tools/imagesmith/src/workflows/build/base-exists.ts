import { closest, distance } from 'fastest-levenshtein';
import { ImagesmithError, type FieldPath, type Workspace } from '@imagesmith/core';
import { parseImageRef, registryLocation, type RegistryClient } from '@imagesmith/engine';
import type { BuildPlan } from '../shared/build-plan';
import type { Session } from '../shared/engine-context';
import { profileSource } from './profile-text';
import { located } from './step-source';

/** Answers per engine (one per process, see engine-context.ts): one request per base per command. */
const asked = new WeakMap<object, Map<string, Promise<string | undefined>>>();

/**
 * Before the engine runs: an external base the registry says does not exist fails here, naming the
 * spec (or profile) field it came from and the nearest base the workspace knows. Asked as
 * pin-bases asks (the manifest digest, with the engine's login), once per base per command. A
 * digest-pinned base (base-digests.json, or the spec) needs no question; no answer (unreachable,
 * refused), a lookup without manifestDigest, or a base the engine holds locally lets the engine try.
 */
export async function requireBaseExists(s: Session, plan: BuildPlan): Promise<void> {
  const v = plan.variant;
  if (plan.parent || v.from.kind !== 'external' || parseImageRef(v.from.ref).digest) return;
  const registry = s.registry as Partial<RegistryClient>;
  if (!registry.manifestDigest) return;
  let answers = asked.get(s.engine);
  if (!answers) asked.set(s.engine, (answers = new Map()));
  let answer = answers.get(plan.baseImage);
  if (!answer) answers.set(plan.baseImage, (answer = registry.manifestDigest(plan.baseImage)));
  try {
    if (await answer) return;
  } catch {
    return; // the engine asks again and says what it found
  }
  if (await s.engine.inspect(plan.baseImage)) return;
  const tag = v.from.ref;
  const fromSpec = v.spec.base !== undefined;
  const field = fromSpec
    ? located(v.specFile, s.ws.specs.get(v.image)?.text, ['base'])
    : profileField(s.root, v.profile.name, ['bases', v.python]);
  const { registry: host } = registryLocation(plan.baseImage);
  const asMirror = plan.baseImage !== tag ? ` (asked as ${plan.baseImage})` : '';
  const guess = nearestBase(tag, knownBases(s.ws));
  throw new ImagesmithError(
    `${v.name}: base \`${tag}\` (${field.file}${field.line ? ` line ${field.line}` : ''}, field ${field.field}) does not exist in ${host}${asMirror}${guess ? `; did you mean \`${guess}\`?` : ''}`,
    {
      hint: `fix ${field.field} in ${field.file} to a base the registry has (nothing was built)`,
    },
  );
}

/** The external bases the workspace names: every profile's, every spec's, every pinned tag. */
export function knownBases(ws: Workspace): string[] {
  const out = new Set<string>(Object.keys(ws.baseDigests ?? {}));
  for (const p of ws.profiles.values())
    for (const b of Object.values((p.definition as { bases?: Record<string, string> }).bases ?? {}))
      out.add(b);
  for (const s of ws.specs.values())
    if (s.spec.base && /[:/]/.test(s.spec.base)) out.add(s.spec.base);
  return [...out].sort();
}

/** The nearest known base when it is a plausible typo of `tag` (a few edits), else undefined. */
export function nearestBase(tag: string, known: string[]): string | undefined {
  const others = known.filter((k) => k !== tag);
  if (others.length === 0) return undefined;
  const guess = closest(tag, others);
  return distance(tag, guess) <= Math.max(2, Math.floor(tag.length / 10)) ? guess : undefined;
}

/** A field of a profile's profile.yaml, the built-in one named by its absolute path. */
function profileField(root: string, profile: string, path: FieldPath) {
  const { dir, text } = profileSource(root, profile);
  return located(`${dir}/profile.yaml`, text, path);
}
