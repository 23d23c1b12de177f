#!/usr/bin/env node
// Runs the TypeScript CLI directly: tsx compiles on the fly (cached), so there is no build step.
require('tsx/cjs');
const { run } = require('../src/cli/main.ts');

run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
