/** The image store's answer when a concurrent build of the same tags got there first. */
export function isTagRace(error: unknown): boolean {
  return /image "[^"]+": already exists/.test(error instanceof Error ? error.message : '');
}

/**
 * The bare "not found" of an export whose layer blob was collected meanwhile; not a base (or a
 * parent) that the registry does not have, whose metadata lookup ends in "not found" too.
 */
export function isLostBlob(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return (
    /failed(?: at step [^\n]*| \(exit code \d+\)): (?:failed to solve: )?not found$/m.test(
      message,
    ) && !/load metadata for |failed to resolve source metadata/.test(message)
  );
}
