import type { Profile, ProfileData, ResolvedProfile } from './types';

/** Apply a spec's profile_options to a profile: option values override the profile's own data. Pure. */
export function resolveProfile(
  profile: Profile,
  chosen: Record<string, string> = {},
): ResolvedProfile {
  const def = profile.definition;
  const options: Record<string, string> = {};
  let data: ProfileData = {
    bases: def.bases ?? {},
    system_packages: def.system_packages ?? [],
    apt_repositories: def.apt_repositories ?? [],
    package_sources: def.package_sources ?? [],
    env: def.env ?? {},
    run_flags: def.run_flags ?? [],
    frameworks: def.frameworks ?? {},
    pypi_builds: def.pypi_builds ?? {},
  };
  for (const [key, option] of Object.entries(def.options ?? {}).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const value = chosen[key] ?? option.default;
    options[key] = value;
    const o = option.values[value] ?? {};
    data = {
      bases: { ...data.bases, ...o.bases },
      system_packages: [...(data.system_packages ?? []), ...(o.system_packages ?? [])],
      apt_repositories: [...(data.apt_repositories ?? []), ...(o.apt_repositories ?? [])],
      package_sources: [...(data.package_sources ?? []), ...(o.package_sources ?? [])],
      env: { ...data.env, ...o.env },
      run_flags: [...(data.run_flags ?? []), ...(o.run_flags ?? [])],
      frameworks: { ...data.frameworks, ...o.frameworks },
      pypi_builds: { ...data.pypi_builds, ...o.pypi_builds },
    };
  }
  return {
    name: profile.name,
    hardware: def.hardware,
    python_install: def.python_install,
    python_versions: def.python_versions,
    provides: def.provides ?? [],
    options,
    fragments: profile.fragments,
    bases: data.bases ?? {},
    system_packages: data.system_packages ?? [],
    apt_repositories: data.apt_repositories ?? [],
    package_sources: data.package_sources ?? [],
    env: data.env ?? {},
    run_flags: data.run_flags ?? [],
    frameworks: data.frameworks ?? {},
    pypi_builds: data.pypi_builds ?? {},
  };
}
