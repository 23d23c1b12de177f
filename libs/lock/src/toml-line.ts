import { stringify } from 'smol-toml';

type Scalar = string | boolean;

/** One TOML value as smol-toml writes it (a basic string with JSON-style escapes, or a boolean). */
function tomlValue(value: Scalar): string {
  return stringify({ v: value }).slice('v = '.length, -1);
}

/**
 * A value in an inline table: a literal string where it holds `"` and nothing a literal string
 * cannot (`'`, a control character), as markers are written by hand
 * (`markers = 'sys_platform == "linux"'`); otherwise a basic string.
 */
function tableValue(value: string): string {
  return value.includes('"') && !/['\x00-\x1f\x7f]/.test(value) ? `'${value}'` : tomlValue(value);
}

/** `key = value` with TOML quoting; objects become inline tables (`{ version = "1", source = "x" }`). */
export function tomlLine(key: string, value: Scalar | Record<string, string>): string {
  if (typeof value !== 'object') return `${tomlKey(key)} = ${tomlValue(value)}`;
  const fields = Object.entries(value).map(([k, v]) => `${tomlKey(k)} = ${tableValue(v)}`);
  return `${tomlKey(key)} = ${fields.length ? `{ ${fields.join(', ')} }` : '{}'}`;
}

export function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlValue(key);
}
