import table from './python-lifecycle.json';
import type { LifecycleTable } from './types';

/**
 * Python's end-of-life dates (python.org's release schedules, one PEP per version). imagesmith's
 * own table, not a profile's: every image runs some CPython. Its test validates it against
 * lifecycle.schema.json.
 */
export const pythonLifecycle: LifecycleTable = {
  file: 'libs/core/src/lifecycle/python-lifecycle.json',
  entries: table.entries,
};
