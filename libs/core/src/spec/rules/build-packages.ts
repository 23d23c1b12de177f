import { isCatalogueRef, at, type Rule } from './rule';

/**
 * build_packages go into the builder stage, which only an image on an external base has: a
 * catalogue child pip-installs straight into its parent's venv in the production stage, where
 * build tools would stay in the runtime image.
 */
export const buildPackages: Rule = {
  id: 'build-packages',
  check(ctx) {
    if (!ctx.spec.build_packages?.length) return [];
    if (ctx.spec.base === undefined || !isCatalogueRef(ctx.spec.base)) return [];
    return [
      at(
        ctx,
        ['build_packages'],
        `build_packages needs a builder stage, and an image based on the catalogue image "${ctx.spec.base}" has none`,
        'pin versions that ship wheels instead, or base this image on an external image (it then gets a builder stage)',
        true,
      ),
    ];
  },
};
