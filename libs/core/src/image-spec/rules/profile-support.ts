import { closest } from 'fastest-levenshtein';
import type { Diagnostic } from '../../errors';
import { resolveProfile } from '../../profiles/resolve-profile';
import { satisfiesConstraint } from '../poetry-constraint';
import { at, isCatalogueRef, pythonVersions, type Rule, type RuleContext } from './rule';

/** The profile exists, its options are known, and it supports the spec's Python and frameworks. */
export const profileSupport: Rule = {
  id: 'profile-support',
  check(ctx) {
    const { spec } = ctx;
    const profile = ctx.profiles.get(spec.profile);
    const installed = [...ctx.profiles.keys()];
    if (!profile) {
      const guess = installed.length ? closest(spec.profile, installed) : undefined;
      return [
        at(
          ctx,
          ['profile'],
          `unknown profile "${spec.profile}"`,
          `installed profiles: ${installed.join(', ') || 'none'}${guess ? ` (did you mean "${guess}"?)` : ''}; a profile is a folder profiles/<name> with a profile.yaml`,
        ),
      ];
    }
    const out: Diagnostic[] = [];
    const options = profile.definition.options ?? {};
    for (const [key, value] of Object.entries(spec.profile_options ?? {})) {
      // Own keys only: `__proto__` or `constructor` must not find Object.prototype's.
      const option = Object.hasOwn(options, key) ? options[key] : undefined;
      if (!option) {
        const names = Object.keys(options);
        out.push(
          at(
            ctx,
            ['profile_options', key],
            `profile "${profile.name}" has no option "${key}"`,
            names.length
              ? `its options are: ${names.join(', ')}`
              : 'this profile takes no options; remove profile_options',
            true,
          ),
        );
      } else if (!Object.hasOwn(option.values, value)) {
        out.push(
          at(
            ctx,
            ['profile_options', key],
            `"${value}" is not a supported ${key} for profile "${profile.name}"`,
            `use one of: ${Object.keys(option.values).join(', ')}`,
          ),
        );
      }
    }
    if (out.length > 0) return out;
    const resolved = resolveProfile(profile, spec.profile_options);
    // A catalogue child runs on its parent's interpreter, which must suit this profile's packages too.
    const fromCatalogue = spec.base !== undefined && isCatalogueRef(spec.base);
    const versions = fromCatalogue ? inheritedPython(ctx) : pythonVersions(spec);
    versions.forEach((v, i) => {
      const path = fromCatalogue
        ? ['base']
        : Array.isArray(spec.python)
          ? ['python', i]
          : ['python'];
      const origin = fromCatalogue ? ` (inherited from base "${spec.base}")` : '';
      if (!/^3\.\d+$/.test(v)) return;
      if (!resolved.python_versions.includes(v)) {
        out.push(
          at(
            ctx,
            path,
            `profile "${profile.name}" does not support Python ${v}${origin}`,
            `supported: ${resolved.python_versions.join(', ')}`,
          ),
        );
      } else if (!fromCatalogue && spec.base === undefined && !resolved.bases[v]) {
        out.push(
          at(
            ctx,
            path,
            `profile "${profile.name}" has no default base image for Python ${v}${describeOptions(resolved.options)}`,
            'set `base:` to an external image with an explicit tag, or pick another Python version',
          ),
        );
      }
    });
    const all = {
      ...spec.python_packages,
      ...spec.stages?.development?.python_packages,
      ...spec.stages?.production?.python_packages,
    };
    for (const [framework, supported] of Object.entries(resolved.frameworks)) {
      const constraint = all[framework];
      if (constraint === undefined) continue;
      if (!supported.some((v) => satisfiesConstraint(v, constraint))) {
        const path =
          spec.python_packages?.[framework] !== undefined
            ? ['python_packages', framework]
            : ['stages'];
        out.push(
          at(
            ctx,
            path,
            `${framework} "${constraint}" does not work with profile "${profile.name}"${describeOptions(resolved.options)}`,
            `supported ${framework} versions: ${supported.join(', ')}`,
          ),
        );
      }
    }
    return out;
  },
};

/** The Python of the nearest ancestor that sets one. */
function inheritedPython(ctx: RuleContext): string[] {
  const seen = new Set<string>();
  let base = ctx.spec.base;
  while (base !== undefined && isCatalogueRef(base) && !seen.has(base)) {
    seen.add(base);
    const parent = ctx.specs.get(base);
    if (!parent) return [];
    const versions = pythonVersions(parent);
    if (versions.length > 0) return versions.length === 1 ? versions : [];
    base = parent.base;
  }
  return [];
}

function describeOptions(options: Record<string, string>): string {
  const parts = Object.entries(options).map(([k, v]) => `${k} ${v}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
