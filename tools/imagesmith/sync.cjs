// The sync generators (generators.json), loaded by Nx as plain JavaScript from a bundle.
'use strict';
const { loadBundle } = require('./bundle.cjs');

module.exports = loadBundle('sync', 'src/generators/sync/index.ts');
