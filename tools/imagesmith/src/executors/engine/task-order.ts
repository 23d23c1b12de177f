/** The part of Nx's TaskGraph the batch needs (https://nx.dev/extending-nx/recipes/create-batch-executor). */
export interface BatchGraph {
  tasks: Record<string, unknown>;
  dependencies: Record<string, string[]>;
}

/**
 * The batch's tasks, each after every task of the batch it depends on (dependencies outside the
 * batch were run by Nx before it). Ties keep Nx's order, so the result is stable.
 */
export function taskOrder(graph: BatchGraph): string[] {
  const ids = Object.keys(graph.tasks);
  const inBatch = new Set(ids);
  const done = new Set<string>();
  const out: string[] = [];
  while (out.length < ids.length) {
    const next = ids.find(
      (id) =>
        !done.has(id) &&
        (graph.dependencies[id] ?? []).every((d) => !inBatch.has(d) || done.has(d)),
    );
    // A cycle cannot come from Nx; run the rest in Nx's order rather than hang.
    const id = next ?? ids.find((i) => !done.has(i))!;
    done.add(id);
    out.push(id);
  }
  return out;
}
