import { EngineError, normalizePlatform, type Engine } from '@imagesmith/engine';
import type { CaseResult } from './junit';

/**
 * The platforms validate runs a contract on: every one of a multi-platform spec's (normalized, in
 * the spec's order), each in a container of its own. None for a spec with one platform or none:
 * the engine starts the image as it always did. Pure.
 */
export function validatePlatforms(platforms: readonly string[] | undefined): string[] {
  const list = [...new Set((platforms ?? []).map(normalizePlatform))];
  return list.length > 1 ? list : [];
}

/**
 * Refuses, before any container starts, a platform the engine cannot run (no qemu registered for
 * it): otherwise every check would fail with "exec format error" and hide the reason.
 */
export async function requireRunnable(
  engine: Engine,
  image: string,
  variant: string,
  platforms: readonly string[],
): Promise<void> {
  if (platforms.length === 0) return;
  const can = await engine.platforms();
  if (!can) return; // the engine cannot tell: its own error names the platform
  const missing = platforms.filter((p) => !can.includes(p));
  if (missing.length > 0)
    throw new EngineError(
      `${variant}: the ${engine.name} engine cannot run ${missing.join(', ')} to validate it (it runs ${can.join(', ') || 'no platform it reports'}). What to do: register qemu for it (\`bash .ci/setup-engine.sh\` registers linux/arm64 with binfmt_misc), validate on a host of that platform, or remove it from images/${image}/image.yaml \`platforms\``,
      engine.name,
    );
}

/** One platform's results: the platform in every check's name, so lines and JUnit tell them apart. Pure. */
export function onPlatform(cases: readonly CaseResult[], platform: string): CaseResult[] {
  return cases.map((c) => ({ ...c, name: `${c.name} on ${platform}` }));
}

/** The validate cache file of a platform (none: the single-platform file, as before). Pure. */
export function cacheFileName(platform?: string): string {
  return platform ? `validate-cache-${platform.replace(/\//g, '-')}.json` : 'validate-cache.json';
}
