/**
 * Registry-side helpers for the trust and push-safety e2e tests: read what the registry holds
 * (manifest digest, the content label from the config blob) with plain HTTP, independently of the
 * client under test; forge a registry copy with another label; a workspace of a parent and a child
 * driven through the real CLI; and a registry that answers /v2/ and then stalls.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REGISTRY } from './engine-env';
import { NX_ENV } from '../../tools/testkit/temp-workspace';
import { listenLocal } from './local-server';

export const DOCKER = '/usr/bin/docker';
export const LABEL = 'dev.imagesmith.content-hash';
const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

function split(ref: string): { host: string; repo: string; tag: string } {
  const slash = ref.indexOf('/');
  const colon = ref.lastIndexOf(':');
  return {
    host: ref.slice(0, slash),
    repo: ref.slice(slash + 1, colon),
    tag: ref.slice(colon + 1),
  };
}

/** The digest the registry's tag names now, or undefined when it has no such tag. */
export async function registryDigest(ref: string): Promise<string | undefined> {
  const { host, repo, tag } = split(ref);
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { Accept: ACCEPT },
  });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`HEAD ${ref}: ${res.status}`);
  return res.headers.get('docker-content-digest') ?? undefined;
}

/** The content label of the image the registry's tag names (the first image of an index). */
export async function registryLabel(ref: string): Promise<string | undefined> {
  const { host, repo, tag } = split(ref);
  const get = async (path: string) => {
    const res = await fetch(`http://${host}/v2/${repo}/${path}`, { headers: { Accept: ACCEPT } });
    if (res.status !== 200) throw new Error(`GET ${repo}/${path}: ${res.status}`);
    return (await res.json()) as {
      manifests?: { digest: string; platform?: { os: string } }[];
      config?: { digest: string };
    };
  };
  let doc = await get(`manifests/${tag}`);
  if (doc.manifests) {
    const image = doc.manifests.find((m) => m.platform?.os !== 'unknown');
    doc = await get(`manifests/${image!.digest}`);
  }
  const config = (await get(`blobs/${doc.config!.digest}`)) as unknown as {
    config?: { Labels?: Record<string, string> };
  };
  return config.config?.Labels?.[LABEL];
}

/** docker; its stderr goes into the error, not the test output. */
export function docker(...args: string[]): string {
  return execFileSync(DOCKER, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Whether the local engine has `ref`. */
export function isLocal(ref: string): boolean {
  try {
    docker('image', 'inspect', '--format', '{{.Id}}', ref);
    return true;
  } catch {
    return false;
  }
}

/**
 * Pushes an image labelled `dev.imagesmith.content-hash=<label>` (the stand-in base plus that
 * label) to the registry under `ref`, and removes it locally: a forged or corrupted registry copy.
 */
export function forgeRegistryCopy(ref: string, label: string): void {
  const base = `${REGISTRY}/library/python:3.11-slim-bookworm`;
  execFileSync(DOCKER, ['build', '-q', '-t', ref, '-'], {
    input: `FROM ${base}\nLABEL ${LABEL}=${label}\n`,
    encoding: 'utf8',
  });
  docker('push', '-q', ref);
  docker('rmi', ref);
}

export interface CliResult {
  code: number;
  out: string;
  ms: number;
}

/** The real CLI in `root` (asynchronously: servers in this process answer meanwhile). */
export async function cli(
  root: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 600_000,
): Promise<CliResult> {
  const started = Date.now();
  try {
    const { stdout, stderr } = await promisify(execFile)(
      'node',
      [join(root, 'tools/imagesmith/bin/imagesmith.cjs'), ...args],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...NX_ENV, IMAGESMITH_ENGINE: 'docker', ...env } as NodeJS.ProcessEnv,
        maxBuffer: 64 * 1024 * 1024,
        timeout: timeoutMs,
      },
    );
    return { code: 0, out: `${stdout}${stderr}`, ms: Date.now() - started };
  } catch (error) {
    const e = error as { code: number; stdout?: string; stderr?: string; killed?: boolean };
    const out = `${e.stdout ?? ''}${e.stderr ?? ''}${e.killed ? '\n(killed at the test timeout)' : ''}`;
    return { code: e.code, out, ms: Date.now() - started };
  }
}

/** Removes every local tag under `<repository>/`. */
export function removeLocal(repository: string): void {
  const refs = docker('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}')
    .split('\n')
    .filter((r) => r.startsWith(`${repository}/`) && !r.endsWith(':<none>'));
  if (refs.length) docker('rmi', '-f', ...refs);
}

export interface StallingRegistry {
  addr: string;
  /** Requests seen, as `METHOD path`. */
  seen: string[];
  close(): Promise<void>;
}

/**
 * A registry that answers `GET /v2/` (so engines and clients take it for a registry) and then
 * never answers anything else. With `forwardTo`, reads (GET/HEAD of manifests and blobs) are
 * forwarded to that registry and only writes (uploads, manifest PUTs) stall: a registry that
 * takes the push and then hangs.
 */
export async function startStallingRegistry(forwardTo?: string): Promise<StallingRegistry> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.url === '/v2/' || req.url === '/v2') {
      res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
      res.end('{}');
      return;
    }
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (!forwardTo || !read) return; // stalls: never answers
    const [host, port] = forwardTo.split(':');
    const upstream = request(
      { host, port: Number(port), method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return { ...(await listenLocal(server)), seen };
}
