import { existsSync } from 'node:fs';
import type { BuildSecret } from '@imagesmith/engine';

/**
 * The BuildKit secrets of a build: the named environment variables (id = lowercased name), the
 * netrc of a private index, and the CA bundle. Values never become build args or argv.
 */
export function buildSecrets(secretEnv: string[]): BuildSecret[] {
  const secrets: BuildSecret[] = secretEnv
    .filter((name) => process.env[name] !== undefined)
    .map((name) => ({ id: name.toLowerCase(), env: name }));
  // pip reads index credentials from ~/.netrc; the file is mounted only while pip runs.
  if (process.env.IMAGESMITH_NETRC)
    secrets.push({ id: 'netrc', src: process.env.IMAGESMITH_NETRC });
  // Behind a TLS-intercepting proxy pip needs the host's CA bundle (the one host pip uses, else
  // the system bundle, which holds any CA the host was told to trust).
  const ca =
    process.env.IMAGESMITH_CA_BUNDLE ??
    process.env.PIP_CERT ??
    process.env.SSL_CERT_FILE ??
    '/etc/ssl/certs/ca-certificates.crt';
  if (ca && existsSync(ca)) secrets.push({ id: 'ca-bundle', src: ca });
  return secrets;
}
