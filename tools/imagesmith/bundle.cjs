// imagesmith's entry points (the CLI, the Nx plugin, the generators, the executors) run from
// esbuild bundles of their TypeScript sources. A bundle starts several times faster than compiling
// on the fly, which matters most in Nx's isolated plugin worker, where every Nx command would
// otherwise transpile the plugin.
//
// Two ways to run:
// - In this repository (the TypeScript sources are beside this file): a bundle is rebuilt whenever
//   one of its source files changes (size or mtime), so there is no separate build step; bundles
//   live in node_modules/.cache/imagesmith.
// - Installed from npm (no src/ in the package): the bundles `npm pack` built into dist/
//   (pack-build.cjs, the prepack script) are loaded as they are, and esbuild is not needed.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const crypto = require('node:crypto');

const root = path.resolve(__dirname, '..', '..');
/** The prebuilt bundles of a packed or installed package. */
const distDir = path.join(__dirname, 'dist');
/** True in a checkout of this repository, false in the installed package (which ships only the schema.json files of src/). */
const fromSources = fs.existsSync(path.join(__dirname, 'src', 'cli', 'main.ts'));

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

/** Bundle `entry` (relative to tools/imagesmith) into `outfile`, written atomically. */
function buildBundle(entry, outfile) {
  const tmp = `${outfile}.${process.pid}.tmp`;
  require('esbuild').buildSync({
    entryPoints: [path.join(__dirname, entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: tmp,
    // execa is ESM-only and loaded with import(); Nx is the host's own copy (peerDependencies).
    // Everything else is inlined, but what the bundle require()s by a computed name at run time
    // (ajv's standalone validators, handlebars) is listed in package.json "dependencies" too.
    external: ['execa', 'esbuild', 'nx', 'nx/*', '@nx/devkit'],
    logLevel: 'error',
    // Smaller to parse on every start; names are kept so stack traces stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
  });
  fs.renameSync(tmp, outfile);
}

/** The installed package's prebuilt bundle `name`, identified by the package's version. */
function loadPrebuilt(name) {
  const bundle = path.join(distDir, `${name}.cjs`);
  if (!fs.existsSync(bundle)) {
    throw new Error(
      `${bundle} is missing: this copy of @imagesmith/nx-plugin has neither its TypeScript sources nor its prebuilt bundles; reinstall the package (its tarball is made with \`npm pack\`, which builds them)`,
    );
  }
  const { version } = require('./package.json');
  const st = fs.statSync(bundle);
  globalThis.__IMAGESMITH_BUILD__ = crypto
    .createHash('sha256')
    .update(`${name}\0${version}\0${st.size}\0${st.mtimeMs}`)
    .digest('hex');
  return require(bundle);
}

/**
 * Require the bundle `name` of `entry` (relative to tools/imagesmith), rebuilding it first when
 * any file under `sources` (workspace-relative folders) changed. Without the sources (the
 * installed package), the prebuilt dist/<name>.cjs.
 */
function loadBundle(name, entry, sources = ALL_SOURCES) {
  if (!fromSources) return loadPrebuilt(name);
  const bundle = path.join(outDir, `${name}.cjs`);
  const stampFile = path.join(outDir, `${name}.stamp`);
  const current = stamp(sources);
  const fresh =
    fs.existsSync(bundle) &&
    fs.existsSync(stampFile) &&
    fs.readFileSync(stampFile, 'utf8') === current;
  if (!fresh) {
    fs.mkdirSync(outDir, { recursive: true });
    buildBundle(entry, bundle);
    writeAtomic(stampFile, current);
  }
  // Identifies the code that is running, for caches of its results (see validation-cache.ts).
  globalThis.__IMAGESMITH_BUILD__ = crypto
    .createHash('sha256')
    .update(`${name}\0${current}`)
    .digest('hex');
  return require(bundle);
}

/** Every bundle the package's entry points load: name -> entry (relative to tools/imagesmith). */
const BUNDLES = {
  cli: 'src/cli/main.ts',
  plugin: 'src/plugin/index.ts',
  sync: 'src/generators/sync/index.ts',
  generators: 'src/generators/index.ts',
  executors: 'src/executors/engine/executor.ts',
};

module.exports = { loadBundle, bundleDir, buildBundle, BUNDLES, distDir };
