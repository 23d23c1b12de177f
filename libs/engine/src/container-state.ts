import type { ExecResult } from './exec';

type Call = (args: string[]) => Promise<ExecResult>;

/** docker/podman: whether a container of that name is running (`container inspect` its State). */
export async function dockerContainerRunning(call: Call, name: string): Promise<boolean> {
  const r = await call(['container', 'inspect', '--format', '{{.State.Running}}', name]);
  return r.exitCode === 0 && r.stdout.trim() === 'true';
}

/** buildah: whether its working container of that name exists (nothing runs in one between calls). */
export async function buildahContainerExists(call: Call, name: string): Promise<boolean> {
  const r = await call(['containers', '--format', '{{.ContainerName}}']);
  return r.exitCode === 0 && r.stdout.split('\n').some((l) => l.trim() === name);
}
