// imagesmith's entry points (the CLI, the Nx plugin, the sync generators) run from esbuild bundles
// of their TypeScript sources. A bundle starts several times faster than compiling on the fly,
// which matters most in Nx's isolated plugin worker, where every Nx command would otherwise
// transpile the plugin. A bundle is rebuilt whenever one of its source files changes (size or
// mtime), so there is no separate build step; bundles live in node_modules/.cache/imagesmith.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const crypto = require('node:crypto');

const root = path.resolve(__dirname, '..', '..');

/** One folder per workspace path: test workspaces link this repo's node_modules, and each must run its own sources. */
function bundleDir(workspaceRoot) {
  const key = crypto.createHash('sha256').update(workspaceRoot).digest('hex').slice(0, 12);
  return path.join(workspaceRoot, 'node_modules', '.cache', 'imagesmith', `bundles-${key}`);
}
const outDir = bundleDir(root);
const ALL_SOURCES = [
  'libs/core/src',
  'libs/lock/src',
  'libs/plan/src',
  'libs/engine/src',
  'tools/imagesmith/src',
];

function stamp(dirs) {
  const parts = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|json|cjs)$/.test(e.name) && !/\.test\.ts$/.test(e.name)) {
        const st = fs.statSync(p);
        parts.push(`${p}:${st.size}:${st.mtimeMs}`);
      }
    }
  };
  dirs
    .map((d) => path.join(root, d))
    .filter((d) => fs.existsSync(d))
    .forEach(walk);
  // This file too: its build options shape every bundle.
  const self = fs.statSync(__filename);
  parts.push(`${__filename}:${self.size}:${self.mtimeMs}`);
  return parts.sort().join('\n');
}

function writeAtomic(file, content) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

/**
 * Require the bundle `name` of `entry` (relative to tools/imagesmith), rebuilding it first when
 * any file under `sources` (workspace-relative folders) changed.
 */
function loadBundle(name, entry, sources = ALL_SOURCES) {
  const bundle = path.join(outDir, `${name}.cjs`);
  const stampFile = path.join(outDir, `${name}.stamp`);
  const current = stamp(sources);
  const fresh =
    fs.existsSync(bundle) &&
    fs.existsSync(stampFile) &&
    fs.readFileSync(stampFile, 'utf8') === current;
  if (!fresh) {
    fs.mkdirSync(outDir, { recursive: true });
    const tmp = `${bundle}.${process.pid}.tmp`;
    require('esbuild').buildSync({
      entryPoints: [path.join(__dirname, entry)],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: tmp,
      // execa is ESM-only and loaded with import(); Nx is the host's own copy.
      external: ['execa', 'esbuild', 'nx', 'nx/*', '@nx/devkit'],
      logLevel: 'error',
      // Smaller to parse on every start; names are kept so stack traces stay readable.
      minifyWhitespace: true,
      minifySyntax: true,
    });
    fs.renameSync(tmp, bundle);
    writeAtomic(stampFile, current);
  }
  // Identifies the code that is running, for caches of its results (see validation-cache.ts).
  globalThis.__IMAGESMITH_BUILD__ = crypto
    .createHash('sha256')
    .update(`${name}\0${current}`)
    .digest('hex');
  return require(bundle);
}

module.exports = { loadBundle, bundleDir };
