import { UsageError } from '../errors';
import { isCalendarDate, utcDay } from './dates';

/**
 * Today's date for the end-of-life guard, read once at a command's edge: IMAGESMITH_TODAY when
 * set (tests, or to ask "what fails on that day"), else the clock's UTC day. Rendering never reads
 * the clock; it is handed this string.
 */
export function todayFrom(
  env: Readonly<Record<string, string | undefined>>,
  now: () => Date = () => new Date(),
): string {
  const given = env.IMAGESMITH_TODAY;
  if (given === undefined) return utcDay(now());
  if (!isCalendarDate(given))
    throw new UsageError(`IMAGESMITH_TODAY=${JSON.stringify(given)} is not a date`, {
      hint: 'write a day as YYYY-MM-DD (e.g. IMAGESMITH_TODAY=2026-12-07), or unset it to use the real date',
    });
  return given;
}
