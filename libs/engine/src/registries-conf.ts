import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLoopbackRegistry, registryOf } from './parse-image-ref';

/**
 * Loopback registries named in a Dockerfile's FROM lines and COPY --from=image lines
 * (stage names and ARG-substituted refs are skipped).
 */
export function loopbackRegistriesIn(dockerfileText: string): string[] {
  const found = new Set<string>();
  for (const raw of dockerfileText.split('\n')) {
    const line = raw.trim();
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)/i.exec(line)?.[1];
    const copyFrom = /^COPY\s+.*--from=(\S+)/i.exec(line)?.[1];
    for (const ref of [from, copyFrom]) {
      if (!ref || ref.includes('$')) continue;
      const registry = registryOf(ref);
      if (registry && isLoopbackRegistry(registry)) found.add(registry);
    }
  }
  return [...found].sort();
}

/**
 * A containers-registries.conf(5) that marks the given registries insecure (plain http), built on
 * the system one so other settings stay. buildah/podman read it through CONTAINERS_REGISTRIES_CONF.
 */
export function insecureRegistriesConf(
  registries: readonly string[],
  systemConfPath = '/etc/containers/registries.conf',
): string {
  let base = '';
  try {
    base = readFileSync(systemConfPath, 'utf8');
  } catch {
    // no system file: ours alone
  }
  // The v1 format ([registries.insecure]) cannot be mixed with [[registry]] tables: start afresh.
  if (/^\s*\[registries\./m.test(base)) base = '';
  const tables = registries
    .filter((r) => !base.includes(`"${r}"`))
    .map((r) => `\n[[registry]]\nlocation = "${r}"\ninsecure = true\n`);
  return `${base.trimEnd()}\n${tables.join('')}`;
}

/**
 * Env for a buildah/podman build whose FROM lines use loopback registries: CONTAINERS_REGISTRIES_CONF
 * pointing at a conf (written into `dir`) that marks them insecure. {} when none is needed.
 * `buildArgs` count too: `FROM ${BASE_IMAGE}` pulls from the registry its build arg names.
 */
export function registriesConfEnv(
  dockerfile: string,
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
  buildArgs: Record<string, string> = {},
): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(dockerfile, 'utf8');
  } catch {
    return {}; // the engine reports the missing Dockerfile
  }
  const fromArgs = Object.values(buildArgs)
    .map((value) => registryOf(value))
    .filter((r): r is string => r !== undefined && isLoopbackRegistry(r));
  const registries = [...new Set([...loopbackRegistriesIn(text), ...fromArgs])].sort();
  if (registries.length === 0) return {};
  const path = join(dir, 'registries.conf');
  writeFileSync(
    path,
    insecureRegistriesConf(registries, env.CONTAINERS_REGISTRIES_CONF || undefined),
  );
  return { CONTAINERS_REGISTRIES_CONF: path };
}
