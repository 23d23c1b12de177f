// Builds the single-file CLI bundle tools/gpu/contract.sh runs on a machine that has node but
// neither this repository's node_modules nor an engine nor a network (a GPU node): the same esbuild
// bundle `npm pack` ships (tools/imagesmith/bundle.cjs, buildBundle), written to
// dist/gpu/imagesmith.cjs (git-ignored; about 1 MB, so it travels with a checkout). The commands
// contract.sh uses load nothing from node_modules: execa, the one external they could reach, is
// import()ed by the engine only, which `validate --executor host` never starts.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { buildBundle } = require('../imagesmith/bundle.cjs');

const out = path.resolve(__dirname, '..', '..', 'dist', 'gpu', 'imagesmith.cjs');
fs.mkdirSync(path.dirname(out), { recursive: true });
buildBundle('src/cli/main.ts', out);
process.stdout.write(`${path.relative(process.cwd(), out)} (${fs.statSync(out).size} bytes)\n`);
