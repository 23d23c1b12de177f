import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';

/**
 * Compiling a schema costs ajv about 70 ms, paid by every CLI process (Nx starts one per image).
 * The compiled validator is kept as ajv standalone code under node_modules/.cache, keyed by the
 * schema and ajv's version, so only the first process compiles.
 * https://ajv.js.org/standalone.html
 */
export function compileCached(schema: object): ValidateFunction {
  const file = cacheFile(schema);
  if (file && existsSync(file)) {
    try {
      return require(file) as ValidateFunction;
    } catch {
      // a corrupt or foreign cache entry: compile afresh below
    }
  }
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true } });
  const validate = ajv.compile(schema);
  if (file) {
    try {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, standaloneCode(ajv, validate));
      renameSync(tmp, file);
    } catch {
      // read-only install: just do without the cache
    }
  }
  return validate;
}

function cacheFile(schema: object): string | undefined {
  try {
    const ajvMain = require.resolve('ajv');
    const nodeModules = ajvMain.slice(
      0,
      ajvMain.lastIndexOf('node_modules') + 'node_modules'.length,
    );
    const version = (require('ajv/package.json') as { version: string }).version;
    const hash = createHash('sha256')
      .update(`${version}\\0${JSON.stringify(schema)}`)
      .digest('hex')
      .slice(0, 24);
    return join(nodeModules, '.cache', 'imagesmith', 'ajv', `${hash}.cjs`);
  } catch {
    return undefined;
  }
}
