import { formatPath, parseYamlDocument, type FieldPath, type ImageVariant } from '@imagesmith/core';
import type { DockerfileStep } from './dockerfile-step';

/** What a user edits to change one step of a generated Dockerfile. */
export interface StepSource {
  /** Workspace-relative: images/x/image.yaml, profiles/cpu/profile.yaml, templates/....hbs. */
  file: string;
  /** The field in it, e.g. `commands[1]`; none for a template. */
  field?: string;
  /** 1-based line of that field in `file`, when it could be read. */
  line?: number;
  /** A template or profile fragment: the Dockerfile is regenerated from it (`nx sync`). */
  template?: boolean;
}

/** The texts positions are read from: the spec's, and its profile's profile.yaml when readable. */
export interface SourceTexts {
  spec: string;
  profile?: string;
  /** profiles/<name>, or the built-in profile's absolute folder (profile-text.ts). */
  profileDir?: string;
}

const TEMPLATE_GROUP = 'python-base';

/**
 * Maps a step of a variant's generated Dockerfile to the spec field, profile field or template
 * that rendered it, through the fragment marker above it (render-dockerfile.ts) and the fields
 * each fragment renders (templates/python-base/*.hbs). `output` (the step's own output) narrows an
 * apt failure to the package apt could not find. Pure.
 */
export function stepSource(
  step: DockerfileStep,
  v: ImageVariant,
  texts: SourceTexts,
  output: readonly string[] = [],
): StepSource {
  const spec = v.spec;
  const specAt = (path: FieldPath) => located(v.specFile, texts.spec, path);
  const profileDir = texts.profileDir ?? `profiles/${v.profile.name}`;
  const profileAt = (path: FieldPath) => located(`${profileDir}/profile.yaml`, texts.profile, path);
  const [group, slot = ''] = step.fragment.split('/');
  if (group !== TEMPLATE_GROUP) {
    const dir = group === v.profile.name ? profileDir : `profiles/${group}`;
    return { file: `${dir}/fragments/${slot}.hbs`, template: true };
  }
  const text = step.text;
  const pip = /\bpip install\b/.test(text);
  const apt = /\bapt-get install\b/.test(text);
  if (slot === 'from' && /^FROM /i.test(text))
    return spec.base !== undefined ? specAt(['base']) : profileAt(['bases', v.python]);
  if (slot === 'apt-repositories') return profileAt(['apt_repositories']);
  if (slot === 'system-packages' && apt) return aptSource(v, specAt, profileAt, output);
  if (slot === 'runtime' || slot === 'development') {
    const stage = slot === 'runtime' ? 'production' : 'development';
    const commands: FieldPath[] = [
      ...(slot === 'runtime' ? (spec.commands ?? []).map((_, i) => ['commands', i]) : []),
      ...(spec.stages?.[stage]?.commands ?? []).map((_, i) => ['stages', stage, 'commands', i]),
    ];
    const own = commands.find((path) => `RUN ${collapse(valueAt(spec, path))}` === text);
    if (own) return specAt(own);
    if (apt) return specAt(['stages', stage, 'system_packages']);
    if (pip && stage === 'development') return specAt(['stages', stage, 'python_packages']);
  }
  if (pip || slot === 'lock-guard') return specAt(['python_packages']);
  return { file: `templates/${step.fragment}.hbs`, template: true };
}

/** An apt install: the package apt could not find, in the spec or the profile, when it says which. */
function aptSource(
  v: ImageVariant,
  specAt: (path: FieldPath) => StepSource,
  profileAt: (path: FieldPath) => StepSource,
  output: readonly string[],
): StepSource {
  const missing = output
    .map((l) => /Unable to locate package (\S+)/.exec(l)?.[1])
    .find((p) => p !== undefined);
  const inSpec = missing ? (v.spec.system_packages ?? []).indexOf(missing) : -1;
  if (inSpec >= 0) return specAt(['system_packages', inSpec]);
  const inProfile = missing ? v.profile.system_packages.indexOf(missing) : -1;
  if (inProfile >= 0) return profileAt(['system_packages', inProfile]);
  return v.spec.system_packages ? specAt(['system_packages']) : profileAt(['system_packages']);
}

/** A field of a YAML file with its line (none when the text is missing or does not parse). */
export function located(file: string, text: string | undefined, path: FieldPath): StepSource {
  const doc = text === undefined ? undefined : parseYamlDocument(text, file).doc;
  const line = doc?.positionOf(path, typeof path.at(-1) === 'string')?.line;
  return { file, field: formatPath(path), ...(line ? { line } : {}) };
}

function valueAt(root: unknown, path: FieldPath): string {
  let node: unknown = root;
  for (const seg of path) node = (node as Record<string | number, unknown> | undefined)?.[seg];
  return typeof node === 'string' ? node : '';
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();
