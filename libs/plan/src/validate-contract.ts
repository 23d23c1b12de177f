import { createHash } from 'node:crypto';
import type { CommandCheck, TestContract, Workspace } from '@imagesmith/core';
import { commandPaths } from './command-paths';

/** A check with where it came from (children inherit their parents' checks). */
export interface Check {
  id: string;
  name: string;
  from: string;
  kind: 'command' | 'file-exists' | 'file-absent' | 'env' | 'import' | 'non-root' | 'size';
  command?: CommandCheck;
  path?: string;
  key?: string;
  expected?: string;
  requires?: string;
  /** A file-exists check of the program a spec's entrypoint or cmd runs: it must be executable too. */
  executable?: boolean;
}

/** The contract of an image: its own checks after those of every ancestor, root first. Pure. */
export function collectChecks(
  ws: Pick<Workspace, 'specs'>,
  image: string,
  ancestors: string[],
): Check[] {
  const chain = [...ancestors].reverse().concat(image);
  const checks: Check[] = [];
  let nonRoot = true;
  let maxSize: { mb: number; from: string } | undefined;
  // The effective ENTRYPOINT program and CMD so far along the chain (a child inherits both).
  let entrypoint: string[] = [];
  let cmd: string[] = [];
  const commandFiles = new Set<string>();
  for (const name of chain) {
    const spec = ws.specs.get(name)?.spec;
    const t: TestContract = spec?.tests ?? {};
    const add = (c: Omit<Check, 'id' | 'from'>) =>
      checks.push({ ...c, from: name, id: `${name}/${checks.length}` });
    for (const c of t.commands ?? [])
      add({ kind: 'command', name: c.name, command: c, requires: c.requires });
    for (const p of t.files?.exist ?? [])
      add({ kind: 'file-exists', name: `${p} exists`, path: p });
    for (const p of t.files?.absent ?? [])
      add({ kind: 'file-absent', name: `${p} is absent`, path: p });
    for (const [k, v] of Object.entries(t.env ?? {}).sort())
      add({ kind: 'env', name: `env ${k}=${v}`, key: k, expected: v });
    for (const [m, v] of Object.entries(t.imports ?? {}).sort())
      add({ kind: 'import', name: `import ${m}${v ? ` (${v}*)` : ''}`, key: m, expected: v });
    // Derived from the spec's own entrypoint/cmd (issue 16): a path they run is in the image.
    entrypoint = spec?.entrypoint ?? entrypoint;
    cmd = spec?.cmd ?? cmd;
    for (const p of commandPaths(entrypoint, cmd)) {
      if (spec?.[p.field] === undefined || commandFiles.has(`${p.path} ${p.executable}`)) continue;
      commandFiles.add(`${p.path} ${p.executable}`);
      const what = p.executable ? 'exists and is executable' : 'exists';
      add({
        kind: 'file-exists',
        name: `${p.field}[${p.index}] ${p.path} ${what} (images/${name}/image.yaml)`,
        path: p.path,
        ...(p.executable ? { executable: true } : {}),
      });
    }
    if (t.non_root === false) nonRoot = false;
    if (t.max_size_mb !== undefined) maxSize = { mb: t.max_size_mb, from: name };
  }
  if (nonRoot)
    checks.push({
      id: `${image}/non-root`,
      kind: 'non-root',
      name: 'runs as a non-root user',
      from: image,
    });
  if (maxSize)
    checks.push({
      id: `${image}/size`,
      kind: 'size',
      name: `image size <= ${maxSize.mb} MB`,
      from: maxSize.from,
      expected: String(maxSize.mb),
    });
  return checks;
}

/** Identity of a contract, for caching results per image digest. */
export function contractHash(checks: Check[]): string {
  return createHash('sha256').update(JSON.stringify(checks)).digest('hex').slice(0, 20);
}
