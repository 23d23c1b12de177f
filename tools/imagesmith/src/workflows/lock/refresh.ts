import {
  ancestorsOf,
  loadWorkspace,
  readWorkspaceConfig,
  topologicalOrder,
  type Workspace,
} from '@imagesmith/core';
import { diskReader } from '../../shared/builtin-assets';
import { withAncestors } from '../selection/select-images';
import { firstLine, type Outcome } from '../shared/outcome-table';
import { formatChanges, lockImage, type LockResult, type LockOptions } from './lock';
import { classifyLockError } from './lock-outcome';

export interface RefreshResult {
  /** Every variant locked, with its package changes (the pull request body lists them). */
  results: LockResult[];
  /** One row per image, parents first. */
  outcomes: Outcome[];
}

export interface RefreshOptions {
  update?: boolean;
  /** The images to refresh (selectImages); undefined: the whole catalogue. */
  images?: readonly string[];
  log?: (l: string) => void;
  /** lockImage, passed in so tests can drive the ordering and classification without Poetry. */
  lock?: (root: string, image: string, options: LockOptions) => Promise<LockResult[]>;
}

/**
 * Refresh the locks of the selected images, parents first, and say per image what happened. A
 * named image brings its catalogue ancestors, locked without --update: a fresh ancestor costs
 * nothing (Poetry does not run) and a stale or missing one is relocked first, because the child's
 * lock reads the parent's. Descendants are not added. An image whose index cannot be reached is
 * skipped with the reason (classifyLockError), as are the images built on a skipped or failed one;
 * the others go on.
 */
export async function refreshLocks(
  root: string,
  options: RefreshOptions = {},
): Promise<RefreshResult> {
  const log = options.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const lock = options.lock ?? lockImage;
  const ws = loadWorkspace(root, diskReader(root));
  const pipIndex = readWorkspaceConfig(root).mirrors.pip_index;
  const mirrorHosts = pipIndex ? [new URL(pipIndex).host] : [];
  const named = new Set(options.images ?? topologicalOrder(ws));
  const order = options.images ? withAncestors(ws, options.images) : topologicalOrder(ws);
  const results: LockResult[] = [];
  const outcomes: Outcome[] = [];
  const notDone = new Map<string, Outcome>();
  for (const image of order) {
    const blocked = blockedBy(ws, image, notDone);
    if (blocked) {
      const o: Outcome = {
        name: image,
        state: 'skipped',
        detail: `its base ${blocked.name} ${blocked.state === 'failed' ? 'failed' : 'was skipped'}`,
      };
      outcomes.push(o);
      notDone.set(image, o);
      continue;
    }
    const update = Boolean(options.update) && named.has(image);
    try {
      const locked = await lock(root, image, { update, log: () => undefined });
      results.push(...locked);
      for (const r of locked) log(formatChanges(r));
      outcomes.push(describeLocked(image, locked, named.has(image)));
    } catch (error) {
      const { state, reason } = classifyLockError(error, mirrorHosts);
      const o: Outcome = { name: image, state, detail: reason };
      log(`${image}: ${state.toUpperCase()}\n  ${firstLine(reason)}`);
      if (state === 'failed' && error instanceof Error && error.message !== reason)
        log(`  ${error.message.split('\n').slice(1).join('\n  ')}`);
      outcomes.push(o);
      notDone.set(image, o);
    }
  }
  return { results, outcomes };
}

function blockedBy(
  ws: Pick<Workspace, 'specs'>,
  image: string,
  notDone: ReadonlyMap<string, Outcome>,
): Outcome | undefined {
  return ancestorsOf(ws, image)
    .map((a) => notDone.get(a))
    .find((o) => o !== undefined);
}

function describeLocked(image: string, locked: LockResult[], named: boolean): Outcome {
  const changes = locked.reduce((n, r) => n + r.changes.length, 0);
  const why = named ? '' : ' (ancestor of a named image, not updated)';
  if (locked.length === 0)
    return { name: image, state: 'unchanged', detail: `no Python packages${why}` };
  if (changes > 0)
    return {
      name: image,
      state: 'done',
      detail: `${changes} package change${changes === 1 ? '' : 's'} in ${locked
        .filter((r) => r.changes.length > 0)
        .map((r) => r.variant)
        .join(', ')}${why}`,
    };
  const upToDate = locked.every((r) => r.upToDate);
  return {
    name: image,
    state: 'unchanged',
    detail: `${upToDate ? 'lock up to date' : 'relocked, no version changed'}${why}`,
  };
}
