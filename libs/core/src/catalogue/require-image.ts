import { closest, distance } from 'fastest-levenshtein';
import { UsageError } from '../errors';

/** Throws a UsageError, with the nearest image name as a suggestion, unless `image` is in the catalogue. */
export function requireImage(ws: { specs: ReadonlyMap<string, unknown> }, image: string): void {
  if (ws.specs.has(image)) return;
  const guess = nearestImage(image, [...ws.specs.keys()]);
  throw new UsageError(
    `unknown image "${image}"${guess ? ` (did you mean "${guess}"?)` : ''}; images are the folders under images/ (run \`nx show projects\`)`,
  );
}

/** The nearest name when it is a plausible typo: a third of the name (at least 2 edits) may differ. */
export function nearestImage(image: string, known: string[]): string | undefined {
  if (known.length === 0) return undefined;
  const guess = closest(image, known);
  return distance(image, guess) <= Math.max(2, Math.floor(image.length / 3)) ? guess : undefined;
}
