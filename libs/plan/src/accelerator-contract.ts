import { SpecError, type ImageVariant } from '@imagesmith/core';
import { normalizeName, readLockCached, type LockedPackage } from '@imagesmith/lock';
import type { AcceleratorData } from './accelerator-data';

/** What a host must have to run one image variant's accelerator code. */
export type AcceleratorContract =
  | {
      kind: 'cuda';
      /** CUDA major.minor the image's code needs. */
      cuda: string;
      /** Where that came from, in words ("nvidia-cuda-runtime-cu12 12.1.105 in images/x/poetry.lock"). */
      from: string;
      /** The minimum NVIDIA driver (NVIDIA's "Toolkit Driver Version", Linux x86_64). */
      minDriver: string;
      /** The floor of CUDA minor version compatibility, for messages. */
      minorCompat?: string;
      source: string;
    }
  | {
      kind: 'neuron';
      runtime: string;
      driverPackage: string;
      minDriver: string;
      lastDriver?: string;
      source: string;
    };

/**
 * The accelerator contract of a variant from its profile's data, its lock (undefined when not
 * locked) and its resolved profile options; undefined for a profile without accelerator data
 * (cpu). Pure. A CUDA version the data has no row for is a SpecError naming the data file.
 */
export function acceleratorContract(
  v: Pick<ImageVariant, 'outDir' | 'profile'>,
  lock: LockedPackage[] | undefined,
  data: AcceleratorData | undefined,
): AcceleratorContract | undefined {
  if (!data) return undefined;
  if (data.kind === 'neuron') {
    const { runtime, driverPackage, minDriver, lastDriver, source } = data;
    return {
      kind: 'neuron',
      runtime,
      driverPackage,
      minDriver,
      source,
      ...(lastDriver ? { lastDriver } : {}),
    };
  }
  const wanted = data.runtimePackages.map(normalizeName);
  const wheel = wanted
    .map((name) => lock?.find((p) => normalizeName(p.name) === name))
    .find((p) => p !== undefined);
  const option = data.option ? v.profile.options[data.option] : undefined;
  const [cuda, from] = wheel
    ? [majorMinor(wheel.version), `${wheel.name} ${wheel.version} in ${v.outDir}/poetry.lock`]
    : option !== undefined
      ? [majorMinor(option), `the profile option ${data.option}=${option} (the base image's CUDA)`]
      : [undefined, ''];
  if (cuda === undefined) return undefined;
  const row = data.drivers[cuda];
  if (!row)
    throw new SpecError([
      {
        file: data.file,
        path: `drivers.${cuda}`,
        message: `CUDA ${cuda} (${from}) has no row: imagesmith cannot say which NVIDIA driver it needs`,
        hint: `add '${cuda}': { min_driver: '...', minor_compat: '...' } from NVIDIA's table (${data.source})`,
      },
    ]);
  return {
    kind: 'cuda',
    cuda,
    from,
    minDriver: row.minDriver,
    ...(row.minorCompat ? { minorCompat: row.minorCompat } : {}),
    source: data.source,
  };
}

/** acceleratorContract from a variant's poetry.lock text (undefined: not locked). */
export function lockAcceleratorContract(
  v: Pick<ImageVariant, 'outDir' | 'profile'>,
  lockText: string | undefined,
  data: AcceleratorData | undefined,
): AcceleratorContract | undefined {
  return acceleratorContract(
    v,
    lockText === undefined ? undefined : readLockCached(lockText),
    data,
  );
}

function majorMinor(version: string): string | undefined {
  return /^([0-9]+)\.([0-9]+)/.exec(version)?.slice(1, 3).join('.');
}

/** The image labels of a contract: written into the generated Dockerfile's LABEL. Pure. */
export function acceleratorLabels(c: AcceleratorContract | undefined): Record<string, string> {
  if (!c) return {};
  return c.kind === 'cuda'
    ? { 'dev.imagesmith.cuda': c.cuda, 'dev.imagesmith.min-driver': c.minDriver }
    : { 'dev.imagesmith.neuron-runtime': c.runtime, 'dev.imagesmith.min-driver': c.minDriver };
}

/** The catalogue cell: what the host's driver must be ("NVIDIA >= 530.30.02 (CUDA 12.1)"). Pure. */
export function hostDriverText(c: AcceleratorContract | undefined): string {
  if (!c) return '-';
  return c.kind === 'cuda'
    ? `NVIDIA >= ${c.minDriver} (CUDA ${c.cuda})`
    : `${c.driverPackage} ${c.minDriver}${c.lastDriver ? `-${c.lastDriver}.*` : '+'} (Neuron Runtime ${c.runtime}.x)`;
}

/**
 * Compares two dotted driver versions by number, segment by segment ("570.26" < "570.124.06").
 * Negative, zero or positive like a sort comparator. Pure.
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
