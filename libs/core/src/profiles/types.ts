/** A package source a profile contributes (PyTorch wheel index, AWS Neuron pip repository...). */
export interface ProfilePackageSource {
  name: string;
  url: string;
  /** explicit: only the listed packages come from it (Poetry's "explicit" priority). */
  priority: 'explicit' | 'supplemental' | 'primary';
  packages: string[];
}

/** A vendor apt repository with the signing key it requires. */
export interface AptRepository {
  name: string;
  url: string;
  /** A suite the repository serves; `{{codename}}` is replaced at build time by the base OS's codename. */
  suite: string;
  components: string[];
  key_url: string;
  /** Full fingerprint of the signing key; the build verifies the downloaded key against it. */
  fingerprint: string;
}

/** Fields a profile (or one of its option values) sets. Option values override the profile's. */
export interface ProfileData {
  /** Python version -> default external base image for that version. */
  bases?: Record<string, string>;
  system_packages?: string[];
  apt_repositories?: AptRepository[];
  package_sources?: ProfilePackageSource[];
  env?: Record<string, string>;
  run_flags?: string[];
  /** Framework -> versions this profile supports; a spec pinning another version is rejected. */
  frameworks?: Record<string, string[]>;
  /**
   * Package -> releases whose PyPI Linux wheels are this profile's build (torch 2.3.1 on PyPI is the
   * CUDA 12.1 build). A spec pinning one of them takes it from PyPI instead of the vendor source.
   */
  pypi_builds?: Record<string, string[]>;
}

export interface ProfileOption {
  description: string;
  default: string;
  values: Record<string, ProfileData>;
}

export interface ProfileDefinition extends ProfileData {
  description: string;
  /** Shown in the catalogue table's hardware column (cpu, gpu, inf1...). */
  hardware: string;
  /** How Python gets into an external base: provided (base has python3) or apt (install python3.X). */
  python_install: 'provided' | 'apt';
  python_versions: string[];
  /**
   * glibc of the bases ("2.36"), or Python version -> glibc where the bases differ: the
   * installability check accepts manylinux wheels up to it (PEP 600).
   */
  glibc?: string | Record<string, string>;
  /** Options a spec can set under profile_options, e.g. cuda: 12.1. */
  options?: Record<string, ProfileOption>;
  /** Hardware a validate check may require, satisfied by this profile's run flags. */
  provides?: string[];
}

/** A profile as found on disk: its definition plus its Handlebars fragments by slot. */
export interface Profile {
  name: string;
  dir: string;
  file: string;
  definition: ProfileDefinition;
  /** slot name -> template source, from profiles/<name>/fragments/<slot>.hbs */
  fragments: Record<string, string>;
}

/** A profile with one set of option values applied: what rendering uses. */
export interface ResolvedProfile extends Required<Omit<ProfileData, never>> {
  name: string;
  hardware: string;
  python_install: 'provided' | 'apt';
  python_versions: string[];
  options: Record<string, string>;
  provides: string[];
  fragments: Record<string, string>;
}
