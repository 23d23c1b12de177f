import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** Just what the project graph needs from a spec. Invalid specs still become projects; their targets report the errors. */
export interface GraphFacts {
  profile?: string;
  base?: string;
}

export function readGraphFacts(workspaceRoot: string, specFile: string): GraphFacts {
  // A spec behind a symbolic link is not read (it may be outside the workspace); the image's
  // targets load the workspace, which refuses it by name (core's linkProblem; this bundle stays
  // free of core, see plugin.cjs).
  if (throughLink(workspaceRoot, specFile)) return {};
  try {
    const doc = parse(readFileSync(join(workspaceRoot, specFile), 'utf8'), {
      logLevel: 'error',
    }) as Record<string, unknown> | null;
    if (!doc || typeof doc !== 'object') return {};
    return {
      profile: typeof doc.profile === 'string' ? doc.profile : undefined,
      base: typeof doc.base === 'string' ? doc.base : undefined,
    };
  } catch {
    return {};
  }
}

function throughLink(root: string, path: string): boolean {
  let at = root;
  for (const part of path.split('/')) {
    at = join(at, part);
    try {
      if (lstatSync(at).isSymbolicLink()) return true;
    } catch {
      return false;
    }
  }
  return false;
}
