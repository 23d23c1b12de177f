import { existsSync, readFileSync } from 'node:fs';
import {
  netrcEntry,
  splitUrlCredentials,
  UsageError,
  type WorkspaceConfig,
} from '@imagesmith/core';
import type { BuildSecret } from '@imagesmith/engine';

/**
 * The BuildKit secrets of a build: the named environment variables (id = lowercased name), the
 * netrc of a private index, and the CA bundle. Values never become build args or argv.
 */
export function buildSecrets(
  secretEnv: string[],
  mirrors: WorkspaceConfig['mirrors'] = {},
  env: NodeJS.ProcessEnv = process.env,
): BuildSecret[] {
  const secrets: BuildSecret[] = secretEnv
    .filter((name) => env[name] !== undefined)
    .map((name) => ({ id: name.toLowerCase(), env: name }));
  const netrc = netrcSecret(mirrors, env);
  if (netrc) secrets.push(netrc);
  // Behind a TLS-intercepting proxy pip needs the host's CA bundle (the one host pip uses, else
  // the system bundle, which holds any CA the host was told to trust).
  const ca =
    env.IMAGESMITH_CA_BUNDLE ??
    env.PIP_CERT ??
    env.SSL_CERT_FILE ??
    '/etc/ssl/certs/ca-certificates.crt';
  if (ca && existsSync(ca)) secrets.push({ id: 'ca-bundle', src: ca });
  return secrets;
}

/**
 * pip reads index credentials from ~/.netrc; the template mounts the `netrc` secret there only
 * while pip runs. Its entries: IMAGESMITH_NETRC's file, then the user:password of the pip index
 * URL (IMAGESMITH_PIP_INDEX), which the build arg carries without them (build-plan.ts).
 */
function netrcSecret(
  mirrors: WorkspaceConfig['mirrors'],
  env: NodeJS.ProcessEnv,
): BuildSecret | undefined {
  const file = env.IMAGESMITH_NETRC;
  const credentials = mirrors.pip_index
    ? splitUrlCredentials(mirrors.pip_index).credentials
    : undefined;
  if (!credentials) return file ? { id: 'netrc', src: file } : undefined;
  let text = '';
  if (file) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(
        `IMAGESMITH_NETRC names ${file}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
        { hint: 'point it at a readable netrc file, or unset it', cause: error },
      );
    }
  }
  const joined = text && !text.endsWith('\n') ? `${text}\n` : text;
  return { id: 'netrc', value: `${joined}${netrcEntry(credentials)}` };
}
