/** A buildx builder as `docker buildx inspect` describes it. */
export interface BuilderInfo {
  name: string;
  /** docker, remote, kubernetes, docker-container... */
  driver: string;
  /** What its nodes report they run (buildx marks the ones it asked for with `*`). */
  platforms: string[];
}

/**
 * Parses `docker buildx inspect` text (buildx 0.13 to 0.38 print the same `Key: value` lines).
 * The builder's own Name/Driver come first; each node repeats Name and adds Platforms.
 */
export function parseBuilder(text: string): BuilderInfo {
  let name = '';
  let driver = '';
  const platforms = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z][A-Za-z ]*?):\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, key, value = ''] = m;
    if (key === 'Name' && !name) name = value.trim();
    else if (key === 'Driver' && !driver) driver = value.trim();
    else if (key === 'Platforms')
      for (const p of value.split(',')) {
        const platform = p.trim().replace(/\*$/, '');
        if (platform) platforms.add(platform);
      }
  }
  return { name: name || 'default', driver: driver || 'docker', platforms: [...platforms] };
}
