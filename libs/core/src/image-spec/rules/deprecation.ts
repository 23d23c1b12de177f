import { at, EXTERNAL_REF, isCatalogueRef, type Rule } from './rule';

/**
 * deprecated.use_instead is another catalogue image's name or an external image reference. That
 * a named catalogue image exists is not checked: `generate <image>` validates the image and its
 * ancestors only, and the image's targets do not take other specs as inputs (STYLE 13).
 */
export const deprecation: Rule = {
  id: 'deprecation',
  check(ctx) {
    const target = ctx.spec.deprecated?.use_instead;
    if (target === undefined) return [];
    const path = ['deprecated', 'use_instead'];
    if (target === ctx.name)
      return [at(ctx, path, `"${target}" is this image`, 'name the image users should move to')];
    if (isCatalogueRef(target) || EXTERNAL_REF.test(target)) return [];
    return [
      at(
        ctx,
        path,
        `"${target}" is neither a catalogue image name nor an image reference`,
        'write a catalogue image name (vessl-torch), or registry/repository:tag',
      ),
    ];
  },
};
