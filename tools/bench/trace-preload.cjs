/**
 * Benchmark instrumentation, loaded into every Node process of a measured command through
 * NODE_OPTIONS=--require (Nx, its plugin workers, imagesmith's CLI processes) when BENCH_TRACE
 * names a file. Appends one JSON line per event, with wall-clock milliseconds:
 *   start/exit of each process (its script), every child process it runs (the engine's CLI:
 *   `docker buildx build`, `docker image inspect`, ...) with start and end, and every fetch()
 *   (the registry lookups) with start, end and status.
 * It changes nothing the process does. Not product code: tools/bench only.
 */
'use strict';
const file = process.env.BENCH_TRACE;
if (file) {
  const fs = require('node:fs');
  const cp = require('node:child_process');
  const { syncBuiltinESMExports } = require('node:module');
  const script = process.argv.slice(1, 3).join(' ');
  const log = (event) => {
    try {
      fs.appendFileSync(file, JSON.stringify({ pid: process.pid, script, ...event }) + '\n');
    } catch {
      /* never disturb the measured process */
    }
  };
  log({ kind: 'start', t: Date.now() - performance.now(), loaded: Date.now() });
  process.on('exit', () => log({ kind: 'exit', t: Date.now() }));
  const short = (file, args) =>
    [String(file).split('/').pop(), ...(args || []).slice(0, 3)].join(' ');
  const origSpawn = cp.spawn;
  cp.spawn = function spawn(command, args, options) {
    const t = Date.now();
    const child = origSpawn.apply(this, arguments);
    const what = short(command, Array.isArray(args) ? args : []);
    child.once('close', (code) => log({ kind: 'exec', what, t, end: Date.now(), code }));
    return child;
  };
  for (const name of ['execFileSync', 'spawnSync']) {
    const orig = cp[name];
    cp[name] = function (command, args) {
      const t = Date.now();
      try {
        return orig.apply(this, arguments);
      } finally {
        log({
          kind: 'exec',
          what: short(command, Array.isArray(args) ? args : []),
          t,
          end: Date.now(),
          sync: true,
        });
      }
    };
  }
  syncBuiltinESMExports();
  if (typeof globalThis.fetch === 'function') {
    const origFetch = globalThis.fetch;
    globalThis.fetch = async function fetch(input, init) {
      const t = Date.now();
      const url =
        typeof input === 'string' ? input : input && input.url ? input.url : String(input);
      const method = (init && init.method) || 'GET';
      try {
        const res = await origFetch.apply(this, arguments);
        log({
          kind: 'fetch',
          what: `${method} ${url.replace(/^https?:\/\/[^/]+/, '')}`,
          t,
          end: Date.now(),
          status: res.status,
        });
        return res;
      } catch (error) {
        log({ kind: 'fetch', what: `${method} ${url}`, t, end: Date.now(), status: 'error' });
        throw error;
      }
    };
  }
}
