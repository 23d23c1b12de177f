import { readCachedModule, writeCachedModule } from '../cache/module-cache';
import { SpecError } from '../errors';
import { createHandlebars } from './helpers';
import type { RenderContext } from './render-context';

/**
 * The Dockerfile is an ordered list of named fragments; one that does not apply renders nothing
 * and is dropped. `profile:<slot>` entries come from the image's hardware profile.
 * Order matters: the lock guard first in the base stage, which every target builds on, so an image
 * whose packages are not locked stops before any download; apt repositories before system packages
 * (they may install from them), the user before the builder, the profile's runtime slot before
 * finalize (USER last), spec files after every install step (the layer that changes most comes
 * last, so an edit of them rebuilds nothing else), production last: it is the default target of a build without --target.
 */
export const FRAGMENT_ORDER = [
  'python-base/header',
  'python-base/from',
  'python-base/lock-guard',
  'python-base/apt-repositories',
  'python-base/system-packages',
  'profile:base',
  'python-base/user',
  'python-base/builder',
  'python-base/runtime',
  'profile:runtime',
  'python-base/files',
  'python-base/finalize',
  'python-base/development',
  'python-base/production',
] as const;

const hb = createHandlebars();
type TemplateSpecification = Parameters<typeof hb.template>[0];
const compiled = new Map<string, Handlebars.TemplateDelegate>();
const HANDLEBARS_VERSION = (require('handlebars/package.json') as { version: string }).version;

// noEscape: Handlebars' HTML escaping is wrong for Dockerfiles; values are escaped by helpers.
const OPTIONS = { noEscape: true, strict: false } as const;

/** A compiled template; precompiled specs are cached on disk so each CLI process skips compiling. */
function template(source: string): Handlebars.TemplateDelegate {
  let t = compiled.get(source);
  if (!t) {
    const key = `${HANDLEBARS_VERSION}\0${source}`;
    const spec = readCachedModule<TemplateSpecification>('handlebars', key);
    if (spec) {
      t = hb.template(spec);
    } else {
      writeCachedModule(
        'handlebars',
        key,
        `module.exports = ${hb.precompile(source, OPTIONS) as string};\n`,
      );
      t = hb.compile(source, OPTIONS);
    }
    compiled.set(source, t);
  }
  return t;
}

/** Render a Dockerfile from a context and the template sources. Pure and byte-stable. */
export function renderDockerfile(ctx: RenderContext, templates: Record<string, string>): string {
  // templates/<group>/_<name>.hbs are partials ({{> name}}), shared by several fragments.
  for (const [id, source] of Object.entries(templates)) {
    const slot = id.slice(id.indexOf('/') + 1);
    if (slot.startsWith('_')) hb.registerPartial(slot.slice(1), template(source));
  }
  const blocks: string[] = [];
  for (const id of FRAGMENT_ORDER) {
    const [source, label] = id.startsWith('profile:')
      ? [
          ctx.profile.fragments[id.slice('profile:'.length)],
          `${ctx.profile.name}/${id.slice('profile:'.length)}`,
        ]
      : [templates[id], id];
    if (source === undefined) {
      if (id.startsWith('profile:')) continue;
      throw new SpecError([
        {
          file: `templates/${id}.hbs`,
          path: '',
          message: 'is missing: every Dockerfile is rendered from this fragment',
          hint: `restore it (git checkout -- templates/${id}.hbs)`,
        },
      ]);
    }
    const text = tidy(template(source)(ctx));
    if (text === '') continue;
    blocks.push(id === 'python-base/header' ? text : `# --- fragment: ${label}\n${text}`);
  }
  return `${blocks.join('\n\n')}\n`;
}

function tidy(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
