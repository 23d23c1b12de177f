// The generators a user runs (generators.json: init, image, profile), loaded by Nx as plain
// JavaScript from a bundle, so that the installed package needs no TypeScript compiler.
'use strict';
const { loadBundle } = require('./bundle.cjs');

module.exports = loadBundle('generators', 'src/generators/index.ts');
