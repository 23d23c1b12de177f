import { createHash } from 'node:crypto';
import { deprecationSummary } from '../catalogue/deprecation';
import type { ImageVariant } from '../catalogue/variants';
import {
  baseSystemPackages,
  entrypointLines,
  installedPackages,
  ownAptRepositories,
  ownEnv,
  productionSystemPackages,
} from './inherited';
import { packagesFromPypiBuilds } from './pypi-builds';

/** What the templates see. Sorted everywhere so the output is byte-stable. */
export interface RenderContext {
  variant: ImageVariant;
  description: string;
  profile: ImageVariant['profile'];
  profileOptions: Record<string, string>;
  baseImage: string;
  fromCatalogue: boolean;
  aptRepositories: ImageVariant['profile']['apt_repositories'];
  systemPackages: string[];
  productionSystemPackages: string[];
  /** spec build_packages: the builder stage installs them; the production stage never does. */
  buildPackages: string[];
  /** A catalogue child with build_packages and requirements: a builder FROM the parent installs
   * the child's packages under a prefix, and the runtime stage copies only those. */
  childBuilder: boolean;
  createUser: boolean;
  /** The workdir differs from the parent's (or there is no parent): create and chown it. */
  createWorkdir: boolean;
  pythonBinary: string;
  hasRequirements: boolean;
  /** The spec asks for Python packages but has no poetry.lock yet: the build must stop (lock-guard). */
  needsLock: boolean;
  extraIndexUrls: string;
  /** ENV entries the runtime stage writes (for a child, only those its parent's image lacks). */
  env: Record<string, string>;
  hasEnv: boolean;
  commands: string[];
  labels: Record<string, string>;
  user: ImageVariant['user'];
  workdir: string;
  ports: number[];
  /** spec files, in spec order (a later COPY may overwrite an earlier one); the build context holds them under files/. */
  files: { src: string; dest: string }[];
  /** ENTRYPOINT to write: tini and the program; [] resets an inherited one (init: false). */
  entrypoint?: string[];
  hasEntrypoint: boolean;
  cmd?: string[];
  dev: {
    systemPackages: string[];
    hasRequirements: boolean;
    commands: string[];
    env: Record<string, string>;
  };
}

export interface RenderInputs {
  /** Reference FROM resolves to for a catalogue parent (registry/name:tag). */
  parentRef?: string;
  /** Whether requirements.txt / requirements-dev.txt list any package. */
  requirements: { main: boolean; dev: boolean };
  /** Whether the variant's poetry.lock exists (the requirements were exported from it). */
  locked: boolean;
  /** Labels worked out from committed files beyond the spec (the accelerator contract, issue 13). */
  labels?: Record<string, string>;
}

export function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

function stringify(env: Record<string, string | number | boolean>): Record<string, string> {
  return sortedRecord(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])));
}

/** Normalized names (no extras, lower case) of every Python package a spec asks for, any stage. */
export function usedPackages(spec: ImageVariant['spec']): Set<string> {
  const all = {
    ...spec.python_packages,
    ...spec.stages?.production?.python_packages,
    ...spec.stages?.development?.python_packages,
  };
  return new Set(Object.keys(all).map((n) => n.replace(/\[.*$/, '').toLowerCase()));
}

/**
 * The profile's package sources this image takes packages from (explicit sources serve only theirs).
 * Packages pinned to a release whose PyPI wheel is the same build (`pypi_builds`) leave their source:
 * a source left with none of the image's packages is not declared at all.
 */
export function sourcesUsedBy(
  v: Pick<ImageVariant, 'spec' | 'profile'>,
): ImageVariant['profile']['package_sources'] {
  const fromPypi = packagesFromPypiBuilds(v);
  const used = new Set([...usedPackages(v.spec)].filter((p) => !fromPypi.has(p)));
  return v.profile.package_sources
    .map((s) => ({ ...s, packages: s.packages.filter((p) => !fromPypi.has(p.toLowerCase())) }))
    .filter((s) => s.priority !== 'explicit' || s.packages.some((p) => used.has(p)));
}

const uniqueSorted = (xs: string[]) => [...new Set(xs)].sort();

export function specHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Build the template context for one variant. Pure. */
export function buildRenderContext(
  v: ImageVariant,
  specText: string,
  inputs: RenderInputs,
): RenderContext {
  const { spec, profile } = v;
  const fromCatalogue = v.from.kind === 'catalogue';
  const aptPython = !fromCatalogue && profile.python_install === 'apt';
  // What the parent chain or this image's base stage already installed is never installed again.
  const installed = installedPackages(v);
  const notInstalled = (xs: string[] | undefined) =>
    uniqueSorted((xs ?? []).filter((p) => !installed.has(p)));
  const buildPackages = notInstalled(spec.build_packages);
  const { entrypoint, cmd } = entrypointLines(v);
  const labels = sortedRecord({
    'org.opencontainers.image.title': v.name,
    'org.opencontainers.image.description': spec.description,
    ...(spec.version ? { 'org.opencontainers.image.version': spec.version } : {}),
    'dev.imagesmith.image': v.image,
    'dev.imagesmith.profile': profile.name,
    'dev.imagesmith.python': v.python,
    'dev.imagesmith.spec-sha256': specHash(specText),
    ...(v.from.kind === 'catalogue' ? { 'dev.imagesmith.base': v.from.image } : {}),
    ...(spec.deprecated
      ? { 'dev.imagesmith.deprecated': deprecationSummary(spec.deprecated) }
      : {}),
    ...spec.labels,
    // Last: a spec's own labels cannot restate what the host must have.
    ...inputs.labels,
  });
  return {
    variant: v,
    description: spec.description,
    profile,
    profileOptions: sortedRecord(profile.options),
    baseImage:
      v.from.kind === 'catalogue'
        ? (inputs.parentRef ?? `imagesmith/${v.from.image}:latest-build`)
        : v.from.ref,
    fromCatalogue,
    aptRepositories: ownAptRepositories(v),
    systemPackages: baseSystemPackages(v),
    productionSystemPackages: productionSystemPackages(v),
    buildPackages,
    childBuilder: fromCatalogue && buildPackages.length > 0 && inputs.requirements.main,
    createUser: !fromCatalogue || spec.user !== undefined,
    createWorkdir:
      !v.parent ||
      v.parent.workdir !== v.workdir ||
      v.parent.user.uid !== v.user.uid ||
      v.parent.user.gid !== v.user.gid,
    pythonBinary: aptPython ? `python${v.python}` : 'python3',
    hasRequirements: inputs.requirements.main,
    needsLock: !inputs.locked && usedPackages(spec).size > 0,
    // Only indexes this image takes packages from: pip asks every extra index for every package.
    extraIndexUrls: uniqueSorted(sourcesUsedBy(v).map((s) => s.url)).join(' '),
    env: sortedRecord(ownEnv(v)),
    hasEnv: Object.keys(ownEnv(v)).length > 0,
    commands: [...(spec.commands ?? []), ...(spec.stages?.production?.commands ?? [])],
    labels,
    user: v.user,
    workdir: v.workdir,
    ports: [...(spec.ports ?? [])].sort((a, b) => a - b),
    files: (spec.files ?? []).map(({ src, dest }) => ({ src, dest })),
    entrypoint,
    hasEntrypoint: entrypoint !== undefined,
    cmd,
    dev: {
      // The development stage pip-installs the dev group itself, so it needs the build tools too.
      systemPackages: notInstalled([
        ...(spec.stages?.development?.system_packages ?? []),
        ...(inputs.requirements.dev ? (spec.build_packages ?? []) : []),
      ]),
      hasRequirements: inputs.requirements.dev,
      commands: spec.stages?.development?.commands ?? [],
      env: stringify(spec.stages?.development?.env ?? {}),
    },
  };
}
