import type { ValidateFunction } from 'ajv';
import { readCachedModule, writeCachedModule } from '../cache/module-cache';

/**
 * A compiled validator for `schema`. Compiling costs ajv about 70 ms per process, so the result
 * is kept as ajv standalone code (https://ajv.js.org/standalone.html), keyed by schema and version.
 */
export function compileCached(schema: object): ValidateFunction {
  const version = (require('ajv/package.json') as { version: string }).version;
  const key = `${version}\0${JSON.stringify(schema)}`;
  const cached = readCachedModule<ValidateFunction>('ajv', key);
  if (cached) return cached;
  // Loaded only here, on a cache miss: most runs never need ajv's compiler (180 KiB to parse).
  const { default: Ajv } = require('ajv') as typeof import('ajv');
  const { default: standaloneCode } =
    require('ajv/dist/standalone') as typeof import('ajv/dist/standalone');
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true } });
  const validate = ajv.compile(schema);
  writeCachedModule('ajv', key, standaloneCode(ajv, validate));
  return validate;
}
