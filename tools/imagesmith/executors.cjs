// Nx executors (executors.json), bundled from src/executors like the CLI.
'use strict';
const { loadBundle } = require('./bundle.cjs');

const bundle = loadBundle('executors', 'src/executors/engine/executor.ts');
module.exports = { engineExecutor: bundle.default, engineBatch: bundle.engineBatch };
