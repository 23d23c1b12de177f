#!/usr/bin/env node
// The CLI runs from one esbuild bundle of its TypeScript sources: a bundle starts several times
// faster than compiling on the fly, which matters when Nx starts one process per image. The bundle
// is rebuilt whenever a source file changes (size or mtime), so there is no separate build step.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..', '..');
const entry = path.join(__dirname, '..', 'src', 'cli', 'main.ts');
const sources = ['libs/core/src', 'libs/lock/src', 'libs/engine/src', 'tools/imagesmith/src'].map(
  (d) => path.join(root, d),
);
const outDir = path.join(root, 'node_modules', '.cache', 'imagesmith');
const bundle = path.join(outDir, 'cli.cjs');
const stampFile = path.join(outDir, 'cli.stamp');

function stamp() {
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
  sources.filter((d) => fs.existsSync(d)).forEach(walk);
  return parts.sort().join('\n');
}

function ensureBundle() {
  const current = stamp();
  if (
    fs.existsSync(bundle) &&
    fs.existsSync(stampFile) &&
    fs.readFileSync(stampFile, 'utf8') === current
  )
    return;
  fs.mkdirSync(outDir, { recursive: true });
  const tmp = `${bundle}.${process.pid}.tmp`;
  require('esbuild').buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: tmp,
    // ESM-only and loaded with import(): Node loads it natively at run time.
    external: ['execa'],
    logLevel: 'error',
  });
  fs.renameSync(tmp, bundle);
  fs.writeFileSync(`${stampFile}.${process.pid}.tmp`, current);
  fs.renameSync(`${stampFile}.${process.pid}.tmp`, stampFile);
}

ensureBundle();
require(bundle)
  .run(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
