import type { ImageVariant } from '../catalogue/variants';

/** `2.3.1` or `==2.3.1` (Poetry reads a bare version as an exact pin); anything else is a range. */
function exactPin(constraint: string): string | undefined {
  const m = /^\s*(?:==\s*)?(\d+(?:\.\d+)*)\s*$/.exec(constraint);
  return m?.[1];
}

/**
 * Packages this image takes from PyPI although a profile source lists them: every constraint the
 * spec gives the package (any stage) pins exactly a release the profile lists under `pypi_builds`,
 * i.e. PyPI's wheel of that release is the same build as the vendor index's (torch 2.3.1 on PyPI
 * is the CUDA 12.1 build; see profiles/cuda12/profile.yaml for the metadata read). Pure.
 */
export function packagesFromPypiBuilds(v: Pick<ImageVariant, 'spec' | 'profile'>): Set<string> {
  const builds = v.profile.pypi_builds ?? {};
  const constraints = new Map<string, string[]>();
  for (const packages of [
    v.spec.python_packages,
    v.spec.stages?.production?.python_packages,
    v.spec.stages?.development?.python_packages,
  ]) {
    for (const [name, constraint] of Object.entries(packages ?? {})) {
      const key = name.replace(/\[.*$/, '').toLowerCase();
      constraints.set(key, [...(constraints.get(key) ?? []), constraint]);
    }
  }
  const fromPypi = new Set<string>();
  for (const [name, list] of constraints) {
    // Own keys only: a package named "constructor" must not find Object.prototype's.
    const releases = Object.hasOwn(builds, name) ? builds[name] : undefined;
    if (!releases) continue;
    if (list.every((c) => releases.includes(exactPin(c) ?? ''))) fromPypi.add(name);
  }
  return fromPypi;
}
