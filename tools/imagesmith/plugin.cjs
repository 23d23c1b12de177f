// The Nx plugin (nx.json "plugins"): project inference only, bundled from src/plugin so that
// Nx's isolated plugin worker loads plain JavaScript with nothing but the spec reader in it.
'use strict';
const { loadBundle } = require('./bundle.cjs');

module.exports = loadBundle('plugin', 'src/plugin/index.ts', ['tools/imagesmith/src/plugin']);
