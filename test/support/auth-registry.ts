/**
 * Registries for the registry-lookup e2e tests: a real password-protected one (Debian's
 * docker-registry with htpasswd auth on its own 127.0.0.1 port) and fake ones (a node http server
 * answering 500 or 401, or never answering).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { listenLocal } from './local-server';

/** A port nothing listens on right now (the kernel's pick, released again). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function answers(addr: string, status: number, waitMs: number): Promise<void> {
  for (const started = Date.now(); Date.now() - started < waitMs;) {
    try {
      const res = await fetch(`http://${addr}/v2/`, { signal: AbortSignal.timeout(1_000) });
      await res.body?.cancel();
      if (res.status === status) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`http://${addr}/v2/ did not answer ${status} within ${waitMs} ms`);
}

export interface AuthRegistry {
  addr: string;
  stop(): void;
}

/** docker-registry with htpasswd (bcrypt, `htpasswd -B`, password on stdin) under `dir`. */
export async function startAuthRegistry(
  dir: string,
  user: string,
  password: string,
): Promise<AuthRegistry> {
  const htpasswd = join(dir, 'htpasswd');
  execFileSync('htpasswd', ['-B', '-i', '-c', htpasswd, user], { input: password, stdio: 'pipe' });
  const port = await freePort();
  const addr = `127.0.0.1:${port}`;
  const config = join(dir, 'registry.yml');
  writeFileSync(
    config,
    `version: 0.1
log: { level: warn, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: ${join(dir, 'data')} }, delete: { enabled: true } }
auth: { htpasswd: { realm: imagesmith-e2e, path: ${htpasswd} } }
http: { addr: "${addr}" }
`,
  );
  const log = join(dir, 'registry.log');
  const fd = openSync(log, 'w');
  const child: ChildProcess = spawn('docker-registry', ['serve', config], {
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const stop = () => {
    if (child.exitCode === null) child.kill();
  };
  try {
    await answers(addr, 401, 20_000);
  } catch (error) {
    stop();
    throw new Error(`${(error as Error).message}; registry log:\n${readFileSync(log, 'utf8')}`);
  }
  return { addr, stop };
}

export type FakeMode = 'status-500' | 'status-401' | 'hang';

export interface FakeRegistry {
  addr: string;
  /** Requests seen, as `METHOD path`. */
  seen: string[];
  close(): Promise<void>;
}

/** A registry that answers every request with 500, or 401 with a Basic challenge, or never. */
export async function startFakeRegistry(mode: FakeMode): Promise<FakeRegistry> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (mode === 'hang') return; // never answers: the client's timeout must end it
    if (mode === 'status-401') res.setHeader('WWW-Authenticate', 'Basic realm="fake"');
    res.statusCode = mode === 'status-500' ? 500 : 401;
    res.end();
  });
  return { ...(await listenLocal(server)), seen };
}
