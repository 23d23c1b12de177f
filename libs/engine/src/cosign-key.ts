import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { EngineError } from './errors';

/**
 * A cosign key: a file, or PEM text in an environment variable (CI secrets), which cosign reads
 * itself through `env://NAME` so the key never enters argv. `setting` names where it was configured,
 * for error messages ("signing.key in imagesmith.json", "COSIGN_KEY").
 */
export type CosignKey =
  | { kind: 'file'; path: string; setting: string }
  | { kind: 'env'; variable: string; setting: string };

/** The `signing` section of imagesmith.json, as the engine needs it (paths as written). */
export interface SigningSettings {
  /** Private key file (cosign generate-key-pair's cosign.key), relative to the workspace root. */
  key?: string;
  /** Public key file (cosign.pub), relative to the workspace root. */
  public_key?: string;
}

/** Variables that carry key text; their content is passed to cosign as env://NAME. */
export const COSIGN_KEY_VARIABLE = 'COSIGN_KEY';
export const COSIGN_PUBLIC_KEY_VARIABLE = 'COSIGN_PUBLIC_KEY';

function fromSettings(
  root: string,
  path: string | undefined,
  variable: string,
  field: string,
  env: NodeJS.ProcessEnv,
): CosignKey | undefined {
  // The variable wins: CI passes the key as a secret and the committed file names none (or a
  // developer's own); an empty variable counts as unset, as CI systems pass "" for unset ones.
  if (env[variable]?.trim()) return { kind: 'env', variable, setting: variable };
  if (!path) return undefined;
  return {
    kind: 'file',
    path: isAbsolute(path) ? path : join(root, path),
    setting: `signing.${field} in imagesmith.json ("${path}")`,
  };
}

/** The private key push signs with: $COSIGN_KEY (PEM text), else signing.key; undefined = none. */
export function signingKey(
  root: string,
  signing: SigningSettings | undefined,
  env: NodeJS.ProcessEnv = process.env,
): CosignKey | undefined {
  return fromSettings(root, signing?.key, COSIGN_KEY_VARIABLE, 'key', env);
}

/** The public key verify checks with: $COSIGN_PUBLIC_KEY (PEM text), else signing.public_key. */
export function verificationKey(
  root: string,
  signing: SigningSettings | undefined,
  env: NodeJS.ProcessEnv = process.env,
): CosignKey | undefined {
  return fromSettings(root, signing?.public_key, COSIGN_PUBLIC_KEY_VARIABLE, 'public_key', env);
}

/** What cosign's --key gets: the file path or env://NAME (never the key text itself). */
export function keyArgument(key: CosignKey): string {
  return key.kind === 'file' ? key.path : `env://${key.variable}`;
}

/**
 * Checks a key before cosign runs, so the error names the setting rather than cosign's words:
 * the file exists and holds a PEM block of the expected kind. Never prints the key text.
 */
export function requireKey(
  key: CosignKey,
  expected: 'private' | 'public',
  env: NodeJS.ProcessEnv = process.env,
): void {
  let text: string | undefined;
  if (key.kind === 'file') {
    if (!existsSync(key.path))
      throw new EngineError(
        `${key.setting}: ${key.path} does not exist; write the path of the ${expected} key made by \`cosign generate-key-pair\` (${expected === 'private' ? 'cosign.key' : 'cosign.pub'})`,
        'cosign',
      );
    try {
      text = readFileSync(key.path, 'utf8');
    } catch (error) {
      throw new EngineError(
        `${key.setting}: ${key.path} cannot be read (${(error as Error).message})`,
        'cosign',
        { cause: error },
      );
    }
  } else text = env[key.variable];
  const pem = /-----BEGIN ([A-Z ]+)-----/.exec(text ?? '')?.[1];
  const ok =
    pem !== undefined &&
    (expected === 'private' ? /PRIVATE KEY/.test(pem) : /PUBLIC KEY/.test(pem));
  if (!ok)
    throw new EngineError(
      `${key.setting}: not a cosign ${expected} key (${pem ? `a PEM "${pem}" block` : 'no PEM block'}); ${
        expected === 'private'
          ? 'give the cosign.key written by `cosign generate-key-pair` (its password in COSIGN_PASSWORD)'
          : 'give the cosign.pub written by `cosign generate-key-pair`'
      }`,
      'cosign',
    );
}
