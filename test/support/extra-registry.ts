/**
 * A second Debian `docker-registry` of the test's own, on a free 127.0.0.1 port with its own config
 * and storage directory (as .ci/setup-registry.sh runs the first): a promotion target, or one that
 * refuses deletes. Stopped (by its pid) and removed by `close`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, terminate } from './processes';

export interface ExtraRegistry {
  /** `127.0.0.1:<port>` */
  addr: string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export async function startExtraRegistry(options: { deletes: boolean }): Promise<ExtraRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'imagesmith-registry-'));
  const addr = `127.0.0.1:${await freePort()}`;
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'storage')}`,
      '  delete:',
      `    enabled: ${options.deletes}`,
      'http:',
      `  addr: ${addr}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const close = async () => {
    if (child.pid) await terminate(child.pid, 5_000);
    rmSync(dir, { recursive: true, force: true });
  };
  for (let waited = 0; waited < 15_000; waited += 200) {
    try {
      const res = await fetch(`http://${addr}/v2/`, { signal: AbortSignal.timeout(1_000) });
      await res.body?.cancel();
      if (res.status === 200) return { addr, close };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) break;
    await sleep(200);
  }
  await close();
  throw new Error(`docker-registry on ${addr} did not answer /v2/ within 15 s:\n${stderr}`);
}
