import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closest } from 'fastest-levenshtein';
import { formatDiagnostic, UsageError, type Diagnostic } from '../errors';
import { netrcProblem, redactUrl, splitUrlCredentials } from './url-credentials';
import {
  referenceProblem,
  type SigningConfig,
  validateWorkspaceConfig,
} from './validate-workspace-config';

/** imagesmith.json at the workspace root, with environment overrides (CI and air-gapped sites). */
export interface WorkspaceConfig {
  /** Where catalogue images are tagged and pushed: registry/namespace. */
  repository: string;
  /** docker | buildah | podman; auto-detected when unset. */
  engine?: string;
  /** docker: the buildx builder (`docker buildx ls`); buildx's docker driver when unset. */
  builder?: string;
  /** Where `build` puts images: the local engine, or straight into the registry (no load). */
  buildOutput?: 'engine' | 'registry';
  mirrors: {
    /** Registry prefix that external base references are rewritten to (e.g. an air-gapped mirror). */
    registry?: string;
    /**
     * pip index URL passed to builds instead of PyPI and the profiles' indexes. From
     * IMAGESMITH_PIP_INDEX it may carry user:password (never from the committed file): builds
     * split them off into the netrc BuildKit secret (splitUrlCredentials).
     */
    pip_index?: string;
    /** apt mirror URL replacing the Debian/Ubuntu archives inside builds. */
    apt?: string;
  };
  /** cosign key files (imagesmith.json `signing`, paths as written, relative to the root). */
  signing?: SigningConfig;
  /** What `promote` requires before it copies an image, as imagesmith.json writes it (unset: the default). */
  promote?: PromotePolicy;
}

/** imagesmith.json `promote`: each entry must verify at the image's digest before it is copied. */
export interface PromotePolicy {
  /** `signature`, `validate` or `validate:<hardware>`, in the file's order. */
  requires: string[];
}

/** What promote requires when imagesmith.json says nothing: push's signature and a passing validate. */
export const DEFAULT_PROMOTE_REQUIRES = ['signature', 'validate'];

/**
 * Where images go when nothing is configured. Generated files name parents under this repository
 * whatever the configuration says (the build passes the real reference as BASE_IMAGE), so that
 * generated files depend only on committed files.
 */
export const DEFAULT_REPOSITORY = 'localhost:5000/imagesmith';

const DEFAULTS: WorkspaceConfig = { repository: DEFAULT_REPOSITORY, mirrors: {} };

/** An environment value; empty counts as unset (CI systems pass "" for an unset variable). */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/**
 * imagesmith.json (`text`, undefined when there is none) with the IMAGESMITH_* overrides, checked
 * before any command does anything: every problem of the file and the variables at once, each with
 * where it is and the fix, as one UsageError.
 */
export function parseWorkspaceConfig(
  text: string | undefined,
  env: NodeJS.ProcessEnv,
  file = 'imagesmith.json',
): WorkspaceConfig {
  const checked =
    text === undefined ? { config: {}, diagnostics: [] } : validateWorkspaceConfig(text, file);
  const diagnostics = [...checked.diagnostics, ...checkEnvironment(env)];
  if (diagnostics.length > 0 || !checked.config)
    throw new UsageError(
      `the imagesmith configuration is not usable:\n${diagnostics.map((d) => `  ${formatDiagnostic(d)}`).join('\n')}`,
    );
  const raw = checked.config;
  const mirrors = { ...raw.mirrors };
  mirrors.registry = envValue(env, 'IMAGESMITH_REGISTRY_MIRROR') ?? mirrors.registry;
  mirrors.pip_index = envValue(env, 'IMAGESMITH_PIP_INDEX') ?? mirrors.pip_index;
  mirrors.apt = envValue(env, 'IMAGESMITH_APT_MIRROR') ?? mirrors.apt;
  return {
    repository: envValue(env, 'IMAGESMITH_REPOSITORY') ?? raw.repository ?? DEFAULTS.repository,
    engine: envValue(env, 'IMAGESMITH_ENGINE') ?? raw.engine,
    builder: envValue(env, 'IMAGESMITH_BUILDER') ?? raw.builder,
    buildOutput:
      (envValue(env, 'IMAGESMITH_BUILD_OUTPUT') as WorkspaceConfig['buildOutput']) ??
      raw.build_output,
    mirrors: Object.fromEntries(
      Object.entries(mirrors).filter(([, v]) => v !== undefined && v !== ''),
    ),
    ...(raw.signing ? { signing: { ...raw.signing } } : {}),
    ...(raw.promote?.requires ? { promote: { requires: [...raw.promote.requires] } } : {}),
  };
}

const ENGINES = ['docker', 'podman', 'buildah'];
const OUTPUTS = ['engine', 'registry'];
const BUILDER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const URL_VARIABLES = ['IMAGESMITH_PIP_INDEX', 'IMAGESMITH_APT_MIRROR'];

/** The IMAGESMITH_* overrides, checked like the file's fields; each diagnostic names its variable. */
function checkEnvironment(env: NodeJS.ProcessEnv): Diagnostic[] {
  const out: Diagnostic[] = [];
  const unset = 'or unset it to use imagesmith.json';
  for (const name of ['IMAGESMITH_REPOSITORY', 'IMAGESMITH_REGISTRY_MIRROR']) {
    const value = envValue(env, name);
    const problem = value === undefined ? undefined : referenceProblem(value, `${name}=%s`);
    if (problem) out.push({ file: name, path: '', ...problem, hint: `${problem.hint}, ${unset}` });
  }
  const engine = envValue(env, 'IMAGESMITH_ENGINE');
  if (engine !== undefined && !ENGINES.includes(engine))
    out.push({
      file: 'IMAGESMITH_ENGINE',
      path: '',
      message: `"${engine}" is not an engine: one of ${ENGINES.join(', ')}`,
      hint: `write IMAGESMITH_ENGINE=${closest(engine, ENGINES)}, or unset it to auto-detect`,
    });
  const output = envValue(env, 'IMAGESMITH_BUILD_OUTPUT');
  if (output !== undefined && !OUTPUTS.includes(output))
    out.push({
      file: 'IMAGESMITH_BUILD_OUTPUT',
      path: '',
      message: `"${output}" is not a build output: one of ${OUTPUTS.join(', ')}`,
      hint: `write IMAGESMITH_BUILD_OUTPUT=${closest(output, OUTPUTS)}, ${unset}`,
    });
  const builder = envValue(env, 'IMAGESMITH_BUILDER');
  if (builder !== undefined && !BUILDER_NAME.test(builder))
    out.push({
      file: 'IMAGESMITH_BUILDER',
      path: '',
      message: `"${builder}" is not a buildx builder name`,
      hint: `write the NAME column of \`docker buildx ls\` (letters, digits, '.', '_', '-'), ${unset}`,
    });
  for (const name of URL_VARIABLES) {
    const value = envValue(env, name);
    if (value !== undefined && !/^https?:\/\/\S+$/.test(value))
      out.push({
        file: name,
        path: '',
        message: `"${redactUrl(value)}" is not an http(s) URL`,
        hint: `write ${name}=https://..., ${unset}`,
      });
    else if (value !== undefined) out.push(...credentialProblems(name, value));
  }
  return out;
}

/**
 * Credentials in an index or mirror URL: pip's travel as a BuildKit secret (netrc), never as a
 * build arg or in argv; apt's would be written into the image's apt sources, so they are refused.
 */
function credentialProblems(name: string, url: string): Diagnostic[] {
  const { url: bare, credentials } = splitUrlCredentials(url);
  if (!credentials) return [];
  if (name === 'IMAGESMITH_APT_MIRROR')
    return [
      {
        file: name,
        path: '',
        message: `"${redactUrl(url)}" carries a user name and password: the apt mirror URL is written into the image's apt sources, so they would stay in the image`,
        hint: `give the build a mirror that needs no login from the build network (e.g. an apt proxy that adds it), as ${name}=${bare}`,
      },
    ];
  const problem = netrcProblem(credentials);
  return problem
    ? [
        {
          file: name,
          path: '',
          message: `the credentials in "${redactUrl(url)}" cannot be passed to pip: ${problem}`,
          hint: `write them in a netrc file (machine ${credentials.host} login ... password ...), set IMAGESMITH_NETRC=<that file> and ${name}=${bare}`,
        },
      ]
    : [];
}

export function readWorkspaceConfig(
  root: string,
  env: NodeJS.ProcessEnv = process.env,
): WorkspaceConfig {
  const file = join(root, 'imagesmith.json');
  return parseWorkspaceConfig(existsSync(file) ? readFileSync(file, 'utf8') : undefined, env);
}

/** Rewrite an external base reference to the mirror: python:3.11-slim -> MIRROR/library/python:3.11-slim. */
export function mirrorReference(ref: string, mirror: string | undefined): string {
  if (!mirror) return ref;
  const first = ref.split('/')[0] ?? '';
  const hasRegistry =
    ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const path = hasRegistry
    ? ref.slice(first.length + 1)
    : ref.includes('/')
      ? ref
      : `library/${ref}`;
  return `${mirror.replace(/\/$/, '')}/${path}`;
}
