/** Where a value is inside a document: map keys and list indexes, from the top. */
export type FieldPath = (string | number)[];

/** `tests.commands[0].run` for ['tests', 'commands', 0, 'run']. */
export function formatPath(path: FieldPath): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}
