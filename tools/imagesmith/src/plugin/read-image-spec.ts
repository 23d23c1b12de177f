import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** Just what the project graph needs from a spec. Invalid specs still become projects; their targets report the errors. */
export interface GraphFacts {
  profile?: string;
  base?: string;
}

export function readGraphFacts(workspaceRoot: string, specFile: string): GraphFacts {
  try {
    const doc = parse(readFileSync(join(workspaceRoot, specFile), 'utf8')) as Record<
      string,
      unknown
    > | null;
    if (!doc || typeof doc !== 'object') return {};
    return {
      profile: typeof doc.profile === 'string' ? doc.profile : undefined,
      base: typeof doc.base === 'string' ? doc.base : undefined,
    };
  } catch {
    return {};
  }
}
