import { execFile } from 'node:child_process';
import { ImagesmithError, type ImageVariant, type WorkspaceReader } from '@imagesmith/core';
import {
  compareVersions,
  lockAcceleratorContract,
  readAcceleratorData,
  type AcceleratorContract,
} from '@imagesmith/plan';
import { diskReader } from '../../shared/builtin-assets';
import type { Hardware } from './evaluate-checks';

/** What `nvidia-smi --query-gpu=driver_version` answered: one version per GPU, or why none. */
export type DriverAnswer =
  { found: false } | { found: true; exitCode: number; stdout: string; stderr: string };

/** What the driver check found, in one line for the log. */
export interface DriverCheck {
  status: 'passed' | 'skipped';
  message: string;
}

/**
 * Asks the NVIDIA driver its version through nvidia-smi (the utility every driver install ships,
 * https://docs.nvidia.com/deploy/nvidia-smi/): one line per GPU. `found: false` when there is no
 * nvidia-smi on PATH.
 */
export function queryNvidiaDriver(env: NodeJS.ProcessEnv = process.env): Promise<DriverAnswer> {
  return new Promise((resolve) => {
    execFile(
      'nvidia-smi',
      ['--query-gpu=driver_version', '--format=csv,noheader'],
      { env, timeout: 30_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = (error as NodeJS.ErrnoException | null)?.code;
        if (code === 'ENOENT' || code === 'EACCES') return resolve({ found: false });
        const exitCode = error ? (typeof code === 'number' ? code : 1) : 0;
        resolve({ found: true, exitCode, stdout, stderr });
      },
    );
  });
}

/** The accelerator contract of a variant from the committed lock and its profile's accelerator.yaml. */
export function variantAccelerator(
  v: ImageVariant,
  reader: WorkspaceReader,
): AcceleratorContract | undefined {
  return lockAcceleratorContract(
    v,
    reader.read(`${v.outDir}/poetry.lock`),
    readAcceleratorData([v.profile.name], reader).get(v.profile.name),
  );
}

/**
 * The driver check of `start` and `validate` on a host with an NVIDIA GPU: the driver nvidia-smi
 * reports must be at least the image's minimum (profiles/<profile>/accelerator.yaml). Refuses
 * (exit 1) with both versions and the image when it is older, or when the GPU host has no
 * working nvidia-smi; skipped where the image needs no CUDA or the host has no GPU. Pure but for
 * `query`.
 */
export async function checkDriver(
  variant: string,
  contract: AcceleratorContract | undefined,
  hardware: Hardware,
  query: () => Promise<DriverAnswer> = () => queryNvidiaDriver(),
): Promise<DriverCheck> {
  if (contract?.kind !== 'cuda')
    return { status: 'skipped', message: `driver check: ${variant} needs no CUDA driver` };
  const needs = `NVIDIA driver >= ${contract.minDriver} (CUDA ${contract.cuda}, from ${contract.from})`;
  if (!hardware.has('gpu'))
    return {
      status: 'skipped',
      message: `driver check: skipped, this host has no NVIDIA GPU (no /dev/nvidia0; IMAGESMITH_HARDWARE=gpu says it has one); ${variant} needs ${needs}`,
    };
  const answer = await query();
  if (!answer.found)
    throw new ImagesmithError(
      `${variant} needs ${needs}, but this GPU host has no nvidia-smi on PATH, so its driver version cannot be read`,
      {
        hint: 'install the NVIDIA driver (nvidia-smi comes with it) or put its folder on PATH; on a host without a GPU, unset IMAGESMITH_HARDWARE',
      },
    );
  const versions = answer.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (
    answer.exitCode !== 0 ||
    versions.length === 0 ||
    versions.some((x) => !/^[0-9]+(\.[0-9]+)*$/.test(x))
  )
    throw new ImagesmithError(
      `${variant} needs ${needs}, but \`nvidia-smi --query-gpu=driver_version --format=csv,noheader\` did not give a driver version (exit code ${answer.exitCode}): ${(answer.stdout + answer.stderr).trim().slice(-300) || '(no output)'}`,
      { hint: 'check that the NVIDIA driver is loaded (`nvidia-smi` alone says why not)' },
    );
  const host = versions.sort(compareVersions)[0]!;
  if (compareVersions(host, contract.minDriver) < 0) {
    const compat =
      contract.minorCompat && compareVersions(host, contract.minorCompat) >= 0
        ? ` (${host} is at least ${contract.minorCompat}, the floor of CUDA minor version compatibility: some code may run, but code that needs the newer driver, PTX JIT among it, fails)`
        : '';
    throw new ImagesmithError(
      `${variant} needs ${needs}; this host's NVIDIA driver is ${host}${compat}`,
      {
        hint: `upgrade the host's NVIDIA driver to ${contract.minDriver} or later (NVIDIA's table: ${contract.source}), or use an image built for an older CUDA`,
      },
    );
  }
  return {
    status: 'passed',
    message: `driver check: this host's NVIDIA driver ${host} >= ${contract.minDriver}, the minimum of ${variant} (CUDA ${contract.cuda})`,
  };
}

/**
 * The hook of `start` and `validate` (container executor): the driver check of one variant against
 * this host, from the workspace on disk; a passing check is logged, a refusal thrown.
 */
export async function requireDriver(
  s: { root: string; log: (line: string) => void },
  v: ImageVariant,
  hardware: Hardware,
): Promise<void> {
  const r = await checkDriver(v.name, variantAccelerator(v, diskReader(s.root)), hardware);
  if (r.status === 'passed') s.log(r.message);
}
