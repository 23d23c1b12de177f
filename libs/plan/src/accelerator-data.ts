import {
  parseYamlDocument,
  SpecError,
  type Diagnostic,
  type WorkspaceReader,
} from '@imagesmith/core';

/** One CUDA minor version's drivers (NVIDIA's release notes), versions as NVIDIA writes them. */
export interface CudaDriverRow {
  /** "Toolkit Driver Version", Linux x86_64: the minimum imagesmith enforces. */
  minDriver: string;
  /** The floor of CUDA minor version compatibility, named in messages. */
  minorCompat?: string;
}

/**
 * What a profile's hosts must have, from profiles/<name>/accelerator.yaml: data beside the
 * profile, so a new accelerator profile needs a data file and no code.
 */
export type AcceleratorData =
  | {
      kind: 'cuda';
      file: string;
      source: string;
      /** Lock packages whose version is the CUDA runtime the image's code runs (first found wins). */
      runtimePackages: string[];
      /** The profile option that names the base image's CUDA, used when no runtime wheel is locked. */
      option?: string;
      /** CUDA "major.minor" -> drivers. */
      drivers: Record<string, CudaDriverRow>;
    }
  | {
      kind: 'neuron';
      file: string;
      source: string;
      runtime: string;
      driverPackage: string;
      minDriver: string;
      lastDriver?: string;
    };

/** profiles/<name>/accelerator.yaml: the conventional place, like fragments/. */
export const acceleratorFile = (profile: string) => `profiles/${profile}/accelerator.yaml`;

const VERSION = /^[0-9]+(\.[0-9]+)*$/;

/** The data of every profile that has an accelerator.yaml, by profile name. */
export function readAcceleratorData(
  profiles: Iterable<string>,
  reader: WorkspaceReader,
): Map<string, AcceleratorData> {
  const out = new Map<string, AcceleratorData>();
  for (const name of profiles) {
    const file = acceleratorFile(name);
    const text = reader.read(file);
    if (text !== undefined) out.set(name, parseAcceleratorData(text, file));
  }
  return out;
}

/** Reads and checks one accelerator.yaml; every problem is a SpecError diagnostic naming its field. Pure. */
export function parseAcceleratorData(text: string, file: string): AcceleratorData {
  const parsed = parseYamlDocument(text, file);
  if (!parsed.doc) throw new SpecError(parsed.diagnostics);
  const doc = parsed.doc.value as Record<string, unknown>;
  const problems: Diagnostic[] = [];
  const at = (path: (string | number)[], message: string, hint: string) =>
    problems.push({
      file,
      path: path.join('.'),
      message,
      hint,
      ...(parsed.doc!.positionOf(path) ?? {}),
    });
  const str = (path: string[], optional = false): string | undefined => {
    const v = path.reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], doc);
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || v.trim() === '') {
      at(
        path,
        `must be a non-empty string (quoted in YAML), got ${JSON.stringify(v)}`,
        `write ${path.at(-1)}: '...'`,
      );
      return undefined;
    }
    return v;
  };
  const version = (path: string[], optional = false): string | undefined => {
    const v = str(path, optional);
    if (v !== undefined && !VERSION.test(v))
      at(
        path,
        `"${v}" is not a version (digits and dots)`,
        "quote it as NVIDIA or AWS writes it, e.g. '530.30.02'",
      );
    return v;
  };
  const source = str(['source']) ?? '';
  const kind = doc.kind;
  if (kind === 'cuda') {
    const packages = doc.runtime_packages;
    if (!Array.isArray(packages) || packages.some((p) => typeof p !== 'string'))
      at(
        ['runtime_packages'],
        'must be a list of package names',
        'e.g. [nvidia-cuda-runtime-cu12]',
      );
    const drivers: Record<string, CudaDriverRow> = {};
    const rows = doc.drivers;
    if (typeof rows !== 'object' || rows === null || Array.isArray(rows))
      at(
        ['drivers'],
        'must map a CUDA version to its drivers',
        "e.g. '12.1': { min_driver: '530.30.02' }",
      );
    else
      for (const cuda of Object.keys(rows).sort()) {
        if (!/^[0-9]+\.[0-9]+$/.test(cuda))
          at(['drivers', cuda], `"${cuda}" is not a CUDA major.minor version`, "quote it: '12.1'");
        const minDriver = version(['drivers', cuda, 'min_driver']);
        const minorCompat = version(['drivers', cuda, 'minor_compat'], true);
        if (minDriver) drivers[cuda] = { minDriver, ...(minorCompat ? { minorCompat } : {}) };
      }
    const option = str(['option'], true);
    if (problems.length > 0) throw new SpecError(problems);
    return {
      kind,
      file,
      source,
      runtimePackages: packages as string[],
      ...(option ? { option } : {}),
      drivers,
    };
  }
  if (kind === 'neuron') {
    const runtime = str(['runtime']);
    const driverPackage = str(['driver_package']);
    const minDriver = version(['min_driver']);
    const lastDriver = version(['last_driver'], true);
    if (problems.length > 0) throw new SpecError(problems);
    return {
      kind,
      file,
      source,
      runtime: runtime!,
      driverPackage: driverPackage!,
      minDriver: minDriver!,
      ...(lastDriver ? { lastDriver } : {}),
    };
  }
  at(
    ['kind'],
    `unknown accelerator kind ${JSON.stringify(kind)}`,
    'write kind: cuda or kind: neuron',
  );
  throw new SpecError(problems);
}
