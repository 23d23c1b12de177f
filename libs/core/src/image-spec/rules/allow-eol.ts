import { at, type Rule } from './rule';

/**
 * allow_eol: is the one line that keeps an image on a release past its end of life, shown in the
 * warning, the catalogue table and the image's README: it has to say something.
 */
export const allowEol: Rule = {
  id: 'allow-eol',
  check(ctx) {
    const reason = ctx.spec.allow_eol;
    if (reason === undefined || reason.trim() !== '') return [];
    return [
      at(
        ctx,
        ['allow_eol'],
        'is blank',
        'write why the image stays on a release past its end of life, e.g. allow_eol: "MLRun 1.6 supports Python 3.9 only"',
      ),
    ];
  },
};
