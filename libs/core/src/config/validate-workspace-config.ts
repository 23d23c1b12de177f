import type { Diagnostic } from '../errors';
import { parseYamlDocument, type ParsedDocument } from '../image-spec/parse-document';
import { schemaCheck } from '../image-spec/schema-check';
import { explainRepositoryReference, isRepositoryReference } from './repository-reference';
import { hasUrlCredentials, redactUrl } from './url-credentials';
import configSchema from './workspace-config.schema.json';

/** imagesmith.json `signing`: cosign key files; COSIGN_KEY / COSIGN_PUBLIC_KEY override them. */
export interface SigningConfig {
  /** Private key (cosign.key) push signs with, relative to the workspace root. */
  key?: string;
  /** Public key (cosign.pub) verify checks with, relative to the workspace root. */
  public_key?: string;
}

/** imagesmith.json as written, once it passed validateWorkspaceConfig. */
export interface RawWorkspaceConfig {
  repository?: string;
  engine?: string;
  builder?: string;
  build_output?: 'engine' | 'registry';
  mirrors?: { registry?: string; pip_index?: string; apt?: string };
  signing?: SigningConfig;
  promote?: { requires?: string[] };
}

/**
 * Check imagesmith.json in two passes, like the specs: JSON Schema (unknown keys with did-you-mean,
 * types, enums), then the registry references. Pure; every problem with file:line and a fix.
 */
export function validateWorkspaceConfig(
  text: string,
  file = 'imagesmith.json',
): { config?: RawWorkspaceConfig; diagnostics: Diagnostic[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { diagnostics: [syntaxError(text, file, error as Error)] };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return {
      diagnostics: [
        {
          file,
          line: 1,
          path: '',
          message: 'must be a JSON object',
          hint: 'write {"repository": "127.0.0.1:5000/acme/images"}, or delete the file to use defaults',
        },
      ],
    };
  // JSON is YAML: the YAML parser gives line numbers and catches duplicate keys JSON.parse ignores.
  const parsed = parseYamlDocument(text, file);
  const duplicates = parsed.diagnostics.filter((d) => d.message.startsWith('duplicate key'));
  if (duplicates.length > 0) return { diagnostics: duplicates };
  const doc: ParsedDocument = parsed.doc ?? { value, positionOf: () => undefined };
  const diagnostics = schemaCheck(configSchema, doc, file);
  const raw = value as RawWorkspaceConfig;
  for (const path of [['repository'], ['mirrors', 'registry']] as const) {
    const ref = path.length === 1 ? raw.repository : raw.mirrors?.registry;
    const field = path.join('.');
    if (typeof ref !== 'string' || diagnostics.some((d) => d.path === field)) continue;
    const problem = referenceProblem(ref, `"${path[path.length - 1]}": "%s"`);
    if (problem) diagnostics.push({ file, ...pos(doc, [...path]), path: field, ...problem });
  }
  // imagesmith.json is committed: a password in it is a leaked password.
  for (const key of ['pip_index', 'apt'] as const) {
    const url = raw.mirrors?.[key];
    const field = `mirrors.${key}`;
    if (typeof url !== 'string' || !hasUrlCredentials(url)) continue;
    diagnostics.push({
      file,
      ...pos(doc, ['mirrors', key]),
      path: field,
      message: `"${redactUrl(url)}" carries a user name and password, in a file that is committed`,
      hint: `remove them from imagesmith.json (write ${redactUrl(url).replace(/\/\/[^@/]*@/, '//')}) and ${
        key === 'apt'
          ? 'give the build a mirror that needs no login (e.g. a proxy that adds it)'
          : 'pass them when building: a netrc file named by IMAGESMITH_NETRC, or IMAGESMITH_PIP_INDEX=http://user:password@host/... in the environment (sent to pip as a BuildKit secret)'
      }`,
    });
  }
  diagnostics.push(...signingProblems(raw, doc, file, diagnostics));
  return diagnostics.length > 0 ? { diagnostics } : { config: raw, diagnostics };
}

/**
 * The message and fix for a registry reference that is not one, or undefined when it is fine.
 * `fixFormat` writes the fix, `%s` standing for the corrected reference.
 */
export function referenceProblem(
  ref: string,
  fixFormat: string,
): { message: string; hint: string } | undefined {
  if (isRepositoryReference(ref)) return undefined;
  // user:password@registry: echo neither, and say where registry credentials go.
  const login = /^(?:[a-z]+:\/\/)?[^/@\s]*@([^/\s]+)(\/.*)?$/i.exec(ref);
  if (login)
    return {
      message: `"${redactUrl(ref)}" carries credentials; a registry reference never does`,
      hint: `log in to the registry instead (\`imagesmith login ${login[1]}\`, which stores them for the engine), and write ${fixFormat.replace('%s', `${login[1]}${login[2] ?? ''}`)}`,
    };
  const { why, fix } = explainRepositoryReference(ref);
  return {
    message: `"${ref}" is not a valid repository reference (${why})`,
    hint: fix
      ? `write ${fixFormat.replace('%s', fix)}`
      : 'write registry[:port]/namespace in lowercase, e.g. 127.0.0.1:5000/acme/images',
  };
}

function pos(doc: ParsedDocument, path: string[]): { line?: number; column?: number } {
  const p = doc.positionOf(path);
  return p ? { line: p.line, column: p.column } : {};
}

function syntaxError(text: string, file: string, error: Error): Diagnostic {
  // V8: "... in JSON at position 42" (Node 20) or "(line 3 column 5)" (Node 22).
  const at = /position (\d+)/.exec(error.message);
  const lc = /line (\d+) column (\d+)/.exec(error.message);
  const before = at ? text.slice(0, Number(at[1])).split('\n') : undefined;
  const line = lc ? Number(lc[1]) : before?.length;
  const column = lc ? Number(lc[2]) : before ? before[before.length - 1]!.length + 1 : undefined;
  return {
    file,
    ...(line ? { line, column } : {}),
    path: '',
    message: `not valid JSON (${error.message})`,
    hint: 'fix the syntax (quotes, commas, braces), or delete the file to use defaults',
  };
}

/**
 * signing.key / signing.public_key: paths inside the workspace (no path is followed out of it); a
 * key kept elsewhere (a CI secret, a developer's home) goes in COSIGN_KEY / COSIGN_PUBLIC_KEY.
 */
function signingProblems(
  raw: RawWorkspaceConfig,
  doc: ParsedDocument,
  file: string,
  earlier: Diagnostic[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const key of ['key', 'public_key'] as const) {
    const path = raw.signing?.[key];
    const field = `signing.${key}`;
    if (typeof path !== 'string' || earlier.some((d) => d.path === field)) continue;
    const parts = path.split(/[\\/]+/);
    if (!path.startsWith('/') && !/^[A-Za-z]:/.test(path) && !parts.includes('..')) continue;
    const variable = key === 'key' ? 'COSIGN_KEY' : 'COSIGN_PUBLIC_KEY';
    out.push({
      file,
      ...pos(doc, ['signing', key]),
      path: field,
      message: `"${path}" leads out of the workspace`,
      hint: `write a path relative to the workspace root (e.g. "${key === 'key' ? 'keys/cosign.key' : 'cosign.pub'}"), or pass the key's text in ${variable} instead`,
    });
  }
  return out;
}
