/** The workspaces and the commits CI sees: the child's two package states, the copy without the plugin. */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { commit, REPO } from '../../testkit/temp-workspace';
import { cli } from '../engine-fixture';
import { EXTRA, LEAF, TREE } from './settings';

export interface Workspaces {
  reg: string;
  remote: string;
  eng: string;
  floorNx: string;
}

/** The child's files for a package state, as committed (spec, pyproject, lock, rendered files). */
type ChildFiles = Map<string, Buffer>;

export function readChild(root: string): ChildFiles {
  const dir = join(root, 'images', LEAF);
  const files: ChildFiles = new Map();
  const walk = (rel: string) => {
    for (const e of readdirSync(join(dir, rel))) {
      const r = rel ? `${rel}/${e}` : e;
      if (r === '.imagesmith') continue;
      if (statSync(join(dir, r)).isDirectory()) walk(r);
      else files.set(r, readFileSync(join(dir, r)));
    }
  };
  walk('');
  return files;
}

export function writeChild(root: string, files: ChildFiles, description: string): void {
  const dir = join(root, 'images', LEAF);
  for (const e of readdirSync(dir))
    if (e !== '.imagesmith') rmSync(join(dir, e), { recursive: true });
  for (const [rel, data] of files) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), data);
  }
  const spec = readFileSync(join(dir, 'image.yaml'), 'utf8').replace(
    /^description: .*$/m,
    `description: ${description}`,
  );
  writeFileSync(join(dir, 'image.yaml'), spec);
  // The rendered files as the commit carries them (CI checks them with nx sync:check).
  cli(root, 'generate', '--all');
}

export const leafSpec = (withExtra: boolean) =>
  TREE.images[LEAF]!.replace(
    'python_packages: { tabulate: "^0.9" }',
    withExtra
      ? `python_packages: { tabulate: "^0.9", ${EXTRA.name}: "${EXTRA.range}" }`
      : 'python_packages: { tabulate: "^0.9" }',
  );

/** The floor workspace: a copy without the imagesmith plugin (nx.json, sync generators). */
export function withoutPlugin(src: string, dest: string): void {
  cpSync(src, dest, {
    recursive: true,
    filter: (p) => !p.startsWith(join(src, 'node_modules')) && !p.startsWith(join(src, '.nx')),
  });
  execFileSync('ln', ['-s', join(REPO, 'node_modules'), join(dest, 'node_modules')]);
  const nxJson = JSON.parse(readFileSync(join(dest, 'nx.json'), 'utf8')) as Record<string, unknown>;
  nxJson.plugins = [];
  delete nxJson.sync;
  for (const t of Object.values(
    (nxJson.targetDefaults ?? {}) as Record<string, Record<string, unknown>>,
  ))
    delete t.syncGenerators;
  writeFileSync(join(dest, 'nx.json'), `${JSON.stringify(nxJson, null, 2)}\n`);
  commit(dest, 'no plugin');
}
