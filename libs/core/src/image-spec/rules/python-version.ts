import { at, isCatalogueRef, pythonVersions, type Rule } from './rule';

const VERSION = /^3\.[0-9]{1,2}$/;

export const pythonVersion: Rule = {
  id: 'python-version',
  check(ctx) {
    const { spec } = ctx;
    const versions = pythonVersions(spec);
    // An unknown catalogue name in base: is base-reference's error alone (with did-you-mean); the
    // missing python it implies would only add noise.
    const fromCatalogue = spec.base !== undefined && isCatalogueRef(spec.base);
    if (versions.length === 0 && !fromCatalogue) {
      return [
        at(
          ctx,
          [],
          'missing required field "python"',
          'add `python: "3.11"` (or a list of versions for a matrix); only images based on a catalogue image inherit it',
        ),
      ];
    }
    const path = Array.isArray(spec.python) ? (i: number) => ['python', i] : () => ['python'];
    return versions.flatMap((v, i) =>
      VERSION.test(v)
        ? []
        : [
            at(
              ctx,
              path(i),
              `"${v}" is not a Python version`,
              'write major.minor as a quoted string, e.g. "3.11" (YAML reads 3.10 unquoted as 3.1)',
            ),
          ],
    );
  },
};
