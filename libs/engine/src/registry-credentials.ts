import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultExec, type Exec } from './exec';
import type { EngineName } from './types';

/** Basic credentials for one registry, and the file or helper they came from (never the secret). */
export interface RegistryCredentials {
  username: string;
  password: string;
  /** An OAuth2 refresh token (docker `identitytoken`, or a helper's `<token>` user) instead of a password. */
  identityToken?: string;
  source: string;
}

/** Where the engine keeps its logins; everything injectable for tests. */
export interface CredentialSources {
  engine: EngineName;
  /** The engine's environment (DOCKER_CONFIG, REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR, HOME, PATH). */
  env?: NodeJS.ProcessEnv;
  /** Runs `docker-credential-<helper> get`. */
  exec?: Exec;
  /** File text, or undefined when it cannot be read. */
  readFile?: (path: string) => string | undefined;
  /** getuid(), for buildah/podman's /run/containers/<uid>/auth.json. */
  uid?: number;
}

/** What a lookup found: the credentials, or the places that were searched (for the error). */
export interface CredentialSearch {
  credentials?: RegistryCredentials;
  searched: string[];
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

type Login = Omit<RegistryCredentials, 'source'>;
interface AuthFile {
  auths?: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

const HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Docker's config.json: $DOCKER_CONFIG/config.json, else ~/.docker/config.json. */
export function dockerConfigPath(env: NodeJS.ProcessEnv): string {
  return join(env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'), 'config.json');
}

/**
 * The files an engine reads logins from, in its order. buildah and podman (containers/image,
 * containers-auth.json(5)): $REGISTRY_AUTH_FILE, else ${XDG_RUNTIME_DIR}/containers/auth.json
 * (/run/containers/<uid>/auth.json without it), then ~/.config/containers/auth.json, then docker's.
 */
export function authFilePaths(engine: EngineName, env: NodeJS.ProcessEnv, uid: number): string[] {
  const docker = dockerConfigPath(env);
  if (engine === 'docker') return [docker];
  if (env.REGISTRY_AUTH_FILE) return [env.REGISTRY_AUTH_FILE, docker];
  const runtime = env.XDG_RUNTIME_DIR
    ? join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json')
    : `/run/containers/${uid}/auth.json`;
  const home = env.HOME || homedir();
  return [runtime, join(home, '.config', 'containers', 'auth.json'), docker];
}

/** An auths key (`https://host/v1/`, `host`, `host/ns/repo`) as host[/path], Docker Hub as docker.io. */
function normalizeKey(key: string): string {
  const bare = key
    .replace(/^https?:\/\//, '')
    .replace(/\/v[12]\/?$/, '')
    .replace(/\/+$/, '');
  const [host, ...path] = bare.split('/');
  return [HUB.has(host ?? '') ? 'docker.io' : host, ...path].join('/');
}

/** The entry for `registry`/`repository`: the longest key that is the host or a path prefix of it. */
function entryFor(
  auths: Record<string, AuthEntry>,
  registry: string,
  repository: string,
): AuthEntry | undefined {
  const host = HUB.has(registry) ? 'docker.io' : registry;
  const full = `${host}/${repository}`;
  let best: { len: number; entry: AuthEntry } | undefined;
  for (const [key, entry] of Object.entries(auths)) {
    const k = normalizeKey(key);
    if (k !== host && k !== full && !full.startsWith(`${k}/`)) continue;
    if (!best || k.length > best.len) best = { len: k.length, entry };
  }
  return best?.entry;
}

function decode(entry: AuthEntry | undefined): Login | undefined {
  if (!entry) return undefined;
  if (entry.identitytoken)
    return { username: '<token>', password: '', identityToken: entry.identitytoken };
  if (entry.auth) {
    const text = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    if (colon > 0) return { username: text.slice(0, colon), password: text.slice(colon + 1) };
  }
  if (entry.username && entry.password !== undefined)
    return { username: entry.username, password: entry.password };
  return undefined;
}

/**
 * `docker-credential-<helper> get`, the server on stdin (Docker Hub under its v1 URL, as docker
 * asks): the login, or why there is none.
 */
async function fromHelper(
  helper: string,
  registry: string,
  exec: Exec,
  env: NodeJS.ProcessEnv,
): Promise<Login | string> {
  const server = HUB.has(registry) ? 'https://index.docker.io/v1/' : registry;
  const result = await exec(`docker-credential-${helper}`, ['get'], {
    input: server,
    env,
    timeoutMs: 30_000,
  });
  if (result.notFound) return 'not installed';
  if (result.exitCode !== 0) return `no login for ${registry}`;
  try {
    const body = JSON.parse(result.stdout) as { Username?: string; Secret?: string };
    if (!body.Username || !body.Secret) return `no login for ${registry}`;
    // Docker's convention: the user "<token>" means the secret is an identity (refresh) token.
    return body.Username === '<token>'
      ? { username: body.Username, password: '', identityToken: body.Secret }
      : { username: body.Username, password: body.Secret };
  } catch {
    return 'an answer that is not JSON';
  }
}

/**
 * The credentials the engine itself would send to `registry` for `repository`: the first auth
 * file (in the engine's order) with a credential helper or an entry for it. Nothing is logged.
 */
export async function findRegistryCredentials(
  registry: string,
  repository: string,
  sources: CredentialSources,
): Promise<CredentialSearch> {
  const env = sources.env ?? process.env;
  const read = sources.readFile ?? readText;
  const exec = sources.exec ?? defaultExec;
  const uid = sources.uid ?? process.getuid?.() ?? 0;
  const searched: string[] = [];
  for (const path of authFilePaths(sources.engine, env, uid)) {
    searched.push(path);
    const text = read(path);
    if (text === undefined) continue;
    let file: AuthFile;
    try {
      file = JSON.parse(text) as AuthFile;
    } catch {
      searched[searched.length - 1] = `${path} (not valid JSON)`;
      continue;
    }
    const host = HUB.has(registry) ? 'docker.io' : registry;
    const helper =
      Object.entries(file.credHelpers ?? {}).find(([k]) => normalizeKey(k) === host)?.[1] ??
      file.credsStore;
    if (helper) {
      const got = await fromHelper(helper, registry, exec, env);
      const source = `docker-credential-${helper}`;
      if (typeof got !== 'string') return { credentials: { ...got, source }, searched };
      searched.push(`${source} (${got})`);
    }
    const got = decode(entryFor(file.auths ?? {}, registry, repository));
    if (got) return { credentials: { ...got, source: path }, searched };
  }
  return { searched };
}

/** The `credentials` option of a registry client: the logins `engine` itself would send. */
export function engineCredentials(
  engine: EngineName,
  env: NodeJS.ProcessEnv = process.env,
): (registry: string, repository: string) => Promise<CredentialSearch> {
  return (registry, repository) => findRegistryCredentials(registry, repository, { engine, env });
}
