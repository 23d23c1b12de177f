import { stringify } from '@iarna/toml';

/** `key = value` with TOML quoting; objects become inline tables (`{ version = "1", source = "x" }`). */
export function tomlLine(key: string, value: string | boolean | Record<string, string>): string {
  return `${tomlKey(key)} = ${stringify.value(value)}`;
}

export function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : stringify.value(key);
}
