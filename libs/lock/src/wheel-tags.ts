/** Where a package is installed: one image platform, its CPython and the glibc of its base. */
export interface InstallTarget {
  /** CPython "3.11". */
  python: string;
  /** Machine as wheel tags spell it: x86_64, aarch64. */
  arch: string;
  /** glibc of the base image, "2.36". */
  glibc: string;
}

export interface WheelTags {
  pythons: string[];
  abis: string[];
  platforms: string[];
}

const SDIST = /\.(tar\.gz|tar\.bz2|tar\.xz|tgz|zip)$/i;

/** An sdist: pip builds it at install time (setup.py or a PEP 517 backend runs). */
export function isSdist(file: string): boolean {
  return SDIST.test(file);
}

/**
 * The tag sets of a wheel filename, `{name}-{ver}(-{build})?-{py}-{abi}-{plat}.whl`, each part
 * possibly a dot-joined compressed set (PEP 425); undefined for anything else.
 */
export function wheelTags(file: string): WheelTags | undefined {
  if (!file.toLowerCase().endsWith('.whl')) return undefined;
  const parts = file.slice(0, -4).split('-');
  if (parts.length < 5) return undefined;
  const [py = '', abi = '', plat = ''] = parts.slice(-3);
  return {
    pythons: py.toLowerCase().split('.'),
    abis: abi.toLowerCase().split('.'),
    platforms: plat.toLowerCase().split('.'),
  };
}

// PEP 600's legacy aliases (https://peps.python.org/pep-0600/#legacy-manylinux-tags).
const LEGACY_MANYLINUX: Record<string, [number, number]> = {
  manylinux1: [2, 5],
  manylinux2010: [2, 12],
  manylinux2014: [2, 17],
};

function version(v: string): [number, number] {
  const [major = 0, minor = 0] = v.split('.').map(Number);
  return [major, minor];
}

function atMost(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);
}

/** Whether pip on `target` accepts a wheel's platform tag (packaging.tags, linux only). */
export function platformMatches(plat: string, target: InstallTarget): boolean {
  if (plat === 'any') return true;
  if (plat === `linux_${target.arch}`) return true;
  const pep600 = /^manylinux_(\d+)_(\d+)_(.+)$/.exec(plat);
  if (pep600)
    return (
      pep600[3] === target.arch &&
      atMost([Number(pep600[1]), Number(pep600[2])], version(target.glibc))
    );
  const legacy = /^(manylinux\d+)_(.+)$/.exec(plat);
  const alias = legacy ? LEGACY_MANYLINUX[legacy[1] ?? ''] : undefined;
  if (legacy && alias) return legacy[2] === target.arch && atMost(alias, version(target.glibc));
  // musllinux, macosx, win: never on a glibc Linux base.
  return false;
}

/**
 * Whether pip on `target` (CPython) supports one interpreter-abi-platform triple, following
 * packaging.tags.cpython_tags and compatible_tags:
 * https://github.com/pypa/packaging/blob/main/src/packaging/tags.py
 */
export function tagSupported(
  py: string,
  abi: string,
  plat: string,
  target: InstallTarget,
): boolean {
  const [major, minor] = version(target.python);
  const cp = `cp${major}${minor}`;
  if (plat === 'any') {
    // cp311-none-any, and py3 / py311 / py3X (X <= 11) with no ABI.
    if (abi !== 'none') return false;
    return py === cp || pyMatches(py, major, minor);
  }
  if (!platformMatches(plat, target)) return false;
  if (py === cp) return abi === cp || abi === 'abi3' || abi === 'none';
  // The stable ABI: cp3X-abi3 runs on every CPython >= 3.X (packaging: cp32 up to the current).
  const abi3 = /^cp(\d)(\d+)$/.exec(py);
  if (abi3 && abi === 'abi3')
    return Number(abi3[1]) === major && Number(abi3[2]) >= 2 && Number(abi3[2]) <= minor;
  return abi === 'none' && pyMatches(py, major, minor);
}

function pyMatches(py: string, major: number, minor: number): boolean {
  if (py === `py${major}`) return true;
  const m = /^py(\d)(\d+)$/.exec(py);
  return m !== null && Number(m[1]) === major && Number(m[2]) <= minor;
}

/** Whether pip on `target` can install this file without building it. */
export function wheelMatches(file: string, target: InstallTarget): boolean {
  const tags = wheelTags(file);
  if (!tags) return false;
  return tags.pythons.some((py) =>
    tags.abis.some((abi) => tags.platforms.some((plat) => tagSupported(py, abi, plat, target))),
  );
}
