import { addDays } from './dates';

/** How far ahead of an end of life generate and lint start warning. */
export const EOL_WARNING_DAYS = 180;

/** supported: more than 180 days left; ending: within them; ended: on or after the day. */
export type EolState = 'supported' | 'ending' | 'ended';

/** Where `today` stands against an end of life (both YYYY-MM-DD). Pure. */
export function eolState(endOfLife: string, today: string): EolState {
  if (today >= endOfLife) return 'ended';
  if (today >= addDays(endOfLife, -EOL_WARNING_DAYS)) return 'ending';
  return 'supported';
}
