import { nearestImage } from '../../catalogue/require-image';
import { at, EXTERNAL_REF, isCatalogueRef, pythonVersions, type Rule } from './rule';

/** base: names a catalogue image, or an external image with an explicit, non-latest tag. */
export const baseReference: Rule = {
  id: 'base-reference',
  check(ctx) {
    const base = ctx.spec.base;
    if (base === undefined) return [];
    if (isCatalogueRef(base)) {
      const parent = ctx.specs.get(base);
      if (!parent) {
        if (base === ctx.name) return [];
        // Never the image itself; from every image folder, not only the ones this command loaded.
        const names = (ctx.catalogue ?? [...ctx.specs.keys()]).filter((n) => n !== ctx.name);
        const guess = nearestImage(base, names);
        return [
          at(
            ctx,
            ['base'],
            `unknown catalogue image "${base}"`,
            `${guess ? `did you mean "${guess}"? ` : ''}an external image needs a registry path and an explicit tag, e.g. nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04`,
          ),
        ];
      }
      if (Array.isArray(parent.python) && parent.python.length > 1) {
        return [
          at(
            ctx,
            ['base'],
            `"${base}" is a matrix image (Python ${parent.python.join(', ')}) and cannot be a base`,
            'base the image on a single-Python catalogue image or an external image',
          ),
        ];
      }
      const mine = pythonVersions(ctx.spec);
      const theirs = pythonVersions(parent);
      if (mine.length > 0 && theirs.length > 0 && (mine.length !== 1 || mine[0] !== theirs[0])) {
        return [
          at(
            ctx,
            ['python'],
            `Python ${mine.join(', ')} differs from base "${base}", which has Python ${theirs.join(', ')}`,
            "remove `python:` to inherit the base image's version, or change the base",
          ),
        ];
      }
      return [];
    }
    if (/:latest$/.test(base))
      return [
        at(
          ctx,
          ['base'],
          `"${base}" uses the floating latest tag`,
          'pin an explicit version tag (or a digest) so builds are reproducible',
        ),
      ];
    if (!EXTERNAL_REF.test(base)) {
      return [
        at(
          ctx,
          ['base'],
          `"${base}" is not an image reference with an explicit tag`,
          'write registry/repository:tag, e.g. python:3.11-slim-bookworm, or name a catalogue image',
        ),
      ];
    }
    return [];
  },
};
