import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { uvWheel } from './uv-wheel';

/**
 * A hermetic PEP 503 "simple" index for tests: tiny pure-Python wheels served by
 * `python3 -m http.server` on 127.0.0.1, so locking and `pip install --require-hashes`
 * run without PyPI. https://peps.python.org/pep-0503/
 */
export interface IndexPackage {
  name: string;
  version: string;
  /** Requires-Dist lines, e.g. "b>=1". */
  deps?: string[];
  /** Extra text in the module, to make a wheel with the same name but different bytes. */
  content?: string;
}

export interface PypiIndex {
  /** Base URL of the simple index, ending in /simple/. */
  url: string;
  dir: string;
  wheelPath(name: string, version: string): string;
  /** Add (or rebuild, when name and version exist) wheels and rewrite the index pages. */
  add(pkgs: IndexPackage[]): void;
  stop(): Promise<void>;
}

export async function startIndex(pkgs: IndexPackage[]): Promise<PypiIndex> {
  const dir = mkdtempSync(join(tmpdir(), 'imagesmith-pypi-'));
  const files = new Map<string, Map<string, string>>(); // project -> wheel file -> sha256
  const wheelPath = (name: string, version: string) =>
    join(dir, 'files', wheelFileName(name, version));

  // Generated builders install uv (hash-pinned) from the build's index before the lock.
  const uv = uvWheel();
  mkdirSync(join(dir, 'files'), { recursive: true });
  writeFileSync(join(dir, 'files', uv.file), uv.bytes);
  files.set('uv', new Map([[uv.file, uv.sha256]]));

  let generation = 0;
  const add = (more: IndexPackage[]) => {
    generation += 1;
    mkdirSync(join(dir, 'files'), { recursive: true });
    for (const pkg of more) {
      const bytes = buildWheel(pkg);
      writeFileSync(wheelPath(pkg.name, pkg.version), bytes);
      const project = normalize(pkg.name);
      if (!files.has(project)) files.set(project, new Map());
      files.get(project)!.set(wheelFileName(pkg.name, pkg.version), sha256(bytes));
    }
    writeIndexPages(dir, files, generation);
  };
  add(pkgs);

  const port = await freePort();
  const server = spawn(
    'python3',
    ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = `http://127.0.0.1:${port}/simple/`;
  try {
    await waitUntilAnswers(url, server);
  } catch (error) {
    await kill(server);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `pypi-index: http.server did not start on port ${port}: ${String(error)}\n${log}`,
    );
  }

  return {
    url,
    dir,
    wheelPath,
    add,
    async stop() {
      await kill(server);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port nothing listens on (for "source unreachable" tests); it may be taken later, rarely. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** PEP 503 normalized project name. */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Wheel file names use the normalized name with "_" (binary distribution format spec). */
function wheelFileName(name: string, version: string): string {
  return `${normalize(name).replace(/-/g, '_')}-${version}-py3-none-any.whl`;
}

/**
 * Pages get an mtime that grows with each `add`: http.server answers If-Modified-Since by
 * whole seconds, so a page rewritten within the same second would otherwise look unchanged
 * to an HTTP cache (Poetry's cachecontrol) that revalidates.
 */
function writeIndexPages(
  dir: string,
  files: Map<string, Map<string, string>>,
  generation: number,
): void {
  const projects = [...files.keys()].sort();
  const mtime = Math.floor(Date.now() / 1000) + generation * 10;
  const write = (path: string, html: string) => {
    writeFileSync(path, html);
    utimesSync(path, mtime, mtime);
  };
  mkdirSync(join(dir, 'simple'), { recursive: true });
  write(join(dir, 'simple', 'index.html'), page(projects.map((p) => `<a href="${p}/">${p}</a>`)));
  for (const project of projects) {
    const links = [...files.get(project)!.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([file, hash]) => `<a href="../../files/${file}#sha256=${hash}">${file}</a>`);
    mkdirSync(join(dir, 'simple', project), { recursive: true });
    write(join(dir, 'simple', project, 'index.html'), page(links));
  }
}

function page(links: string[]): string {
  return `<!DOCTYPE html>\n<html><body>\n${links.join('<br/>\n')}\n</body></html>\n`;
}

function buildWheel(pkg: IndexPackage): Buffer {
  const mod = normalize(pkg.name).replace(/-/g, '_');
  const distInfo = `${mod}-${pkg.version}.dist-info`;
  const entries: [string, string][] = [
    [
      `${mod}/__init__.py`,
      `__version__ = "${pkg.version}"\n${pkg.content ? `# ${pkg.content}\n` : ''}`,
    ],
    [
      `${distInfo}/METADATA`,
      [
        'Metadata-Version: 2.1',
        `Name: ${pkg.name}`,
        `Version: ${pkg.version}`,
        ...(pkg.deps ?? []).map((d) => `Requires-Dist: ${d}`),
        '',
      ].join('\n'),
    ],
    [
      `${distInfo}/WHEEL`,
      'Wheel-Version: 1.0\nGenerator: imagesmith-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
    ],
  ];
  const record = entries
    .map(([path, text]) => {
      const digest = createHash('sha256').update(text).digest('base64url');
      return `${path},sha256=${digest},${Buffer.byteLength(text)}`;
    })
    .concat(`${distInfo}/RECORD,,`, '')
    .join('\n');
  entries.push([`${distInfo}/RECORD`, record]);
  return zipStored(entries);
}

/** A minimal zip writer (stored, no compression, fixed 1980-01-01 timestamps: byte-stable wheels). */
function zipStored(entries: [string, string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [path, text] of entries) {
    const name = Buffer.from(path);
    const data = Buffer.from(text);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(0, 8); // method: stored
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date: 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42); // local header offset (other fields zero)
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

async function waitUntilAnswers(url: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`exited with code ${server.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('timed out after 15 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function kill(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await exited;
}
