import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A folder served over HTTP only to requests with Basic auth `login:password` (401 otherwise),
 * like a private package index: a pip that did not get the credentials fails. The password goes
 * to the server through its environment, not its argv.
 */
const SERVER = `
import base64, functools, http.server, os, sys
want = "Basic " + base64.b64encode(f"{os.environ['AUTH_LOGIN']}:{os.environ['AUTH_PASSWORD']}".encode()).decode()
class Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        if self.headers.get("Authorization") != want:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="index"')
            self.end_headers()
            return
        super().do_GET()
    do_HEAD = do_GET
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), functools.partial(Handler, directory=sys.argv[2])).serve_forever()
`;

export interface AuthIndex {
  /** http://127.0.0.1:PORT/simple/, without credentials. */
  url: string;
  /** The server's request lines so far (`"GET /simple/x/ HTTP/1.1" 200 -`). */
  log(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startAuthIndex(
  dir: string,
  login: string,
  password: string,
): Promise<AuthIndex> {
  const scriptDir = mkdtempSync(join(tmpdir(), 'imagesmith-auth-index-'));
  const script = join(scriptDir, 'serve.py');
  writeFileSync(script, SERVER);
  const port = await freePort();
  const server: ChildProcess = spawn('python3', [script, String(port), dir], {
    env: { ...process.env, AUTH_LOGIN: login, AUTH_PASSWORD: password },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let requests = '';
  server.stderr?.on('data', (c: Buffer) => (requests += c.toString()));
  const log = () => requests;
  const url = `http://127.0.0.1:${port}/simple/`;
  const stop = async () => {
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(scriptDir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i += 1) {
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.status === 401) return { url, log, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`auth-index: the server did not answer on ${url}`);
}
