/**
 * "1 Dockerfile", "2 Dockerfiles", "0 findings": a count and its noun, agreeing. Irregular plurals
 * are passed in (`plural(n, 'index', 'indexes')`); every message with a count goes through here.
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
