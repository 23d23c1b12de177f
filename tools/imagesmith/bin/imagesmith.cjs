#!/usr/bin/env node
'use strict';
const { loadBundle } = require('../bundle.cjs');

loadBundle('cli', 'src/cli/main.ts')
  .run(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
