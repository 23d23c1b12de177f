import type { Diagnostic } from '../errors';
import type { Profile } from '../profiles/types';
import imageSchema from '../image-spec/image.schema.json';
import { fixedImageName, IMAGE_NAME } from './image-name';
import { parseYamlDocument, type ParsedDocument } from '../image-spec/parse-document';
import { specRules } from '../image-spec/rules';
import { at, isCatalogueRef, pythonVersions } from '../image-spec/rules/rule';
import { schemaCheck } from '../image-spec/schema-check';
import type { ImageSpec, LoadedSpec } from '../image-spec/types';

export interface SpecSource {
  /** Folder name under images/: the image's name. */
  name: string;
  file: string;
  text: string;
}

/**
 * Validate every spec of a catalogue in two passes (schema, then named rules) plus the
 * catalogue-wide checks (names, duplicates, cycles). Pure: sources in, specs and diagnostics out.
 * Returns every problem at once, never just the first.
 */
export function validateCatalogue(
  sources: SpecSource[],
  profiles: ReadonlyMap<string, Profile>,
  /** Every image's name, for suggestions, when `sources` holds only some of them. */
  catalogue: readonly string[] = sources.map((s) => s.name),
): { specs: Map<string, LoadedSpec>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const parsed = new Map<string, { source: SpecSource; doc: ParsedDocument; spec: ImageSpec }>();
  const lowerNames = new Map<string, string>();
  const invalid = new Map<
    string,
    { source: SpecSource; doc: ParsedDocument; spec: ImageSpec; problems: Diagnostic[] }
  >();
  for (const source of [...sources].sort((a, b) => a.name.localeCompare(b.name))) {
    const clash = lowerNames.get(source.name.toLowerCase());
    if (clash !== undefined) {
      diagnostics.push({
        file: source.file,
        path: '',
        message: `image name "${source.name}" duplicates "${clash}"`,
        hint: 'image names are case-insensitive in registries; rename one folder',
      });
      continue;
    }
    lowerNames.set(source.name.toLowerCase(), source.name);
    if (!IMAGE_NAME.test(source.name)) {
      diagnostics.push({
        file: source.file,
        path: '',
        message: `"${source.name}" is not a valid image name`,
        hint: `rename the folder to images/${fixedImageName(source.name) || 'gpu-train'} (lowercase letters, digits and dashes)`,
      });
      continue;
    }
    const { doc, diagnostics: syntax } = parseYamlDocument(source.text, source.file);
    if (!doc) {
      diagnostics.push(...syntax);
      continue;
    }
    const schemaProblems = schemaCheck(imageSchema, doc, source.file);
    if (schemaProblems.length > 0) {
      diagnostics.push(...schemaProblems);
      invalid.set(source.name, {
        source,
        doc,
        spec: doc.value as ImageSpec,
        problems: schemaProblems,
      });
      continue;
    }
    parsed.set(source.name, { source, doc, spec: doc.value as ImageSpec });
  }
  const specs = new Map([...parsed].map(([n, p]) => [n, p.spec]));
  const failed = new Set<string>();
  for (const [name, { source, doc, spec }] of parsed) {
    const ctx = { name, file: source.file, spec, doc, specs, catalogue, profiles };
    const problems = specRules.flatMap((rule) => rule.check(ctx));
    if (problems.length > 0) failed.add(name);
    diagnostics.push(...problems);
    // Variant names (<name>-py3.10) must not collide with another image's name.
    if (Array.isArray(spec.python) && spec.python.length > 1) {
      for (const v of pythonVersions(spec)) {
        if (parsed.has(`${name}-py${v}`))
          diagnostics.push(
            at(
              ctx,
              ['python'],
              `variant "${name}-py${v}" collides with the image of that name`,
              'rename one of them',
            ),
          );
      }
    }
  }
  // Specs that failed the schema still get the named rules, so every problem shows at once; a rule
  // that trips over a wrongly typed field is skipped, and findings on fields the schema already
  // flagged are dropped.
  for (const [name, { source, doc, spec, problems }] of invalid) {
    const flagged = problems.map((p) => p.path).filter(Boolean);
    const ctx = { name, file: source.file, spec, doc, specs, catalogue, profiles };
    for (const rule of specRules) {
      try {
        diagnostics.push(
          ...rule
            .check(ctx)
            .filter(
              (d) =>
                !flagged.some(
                  (f) => d.path === f || d.path.startsWith(`${f}.`) || d.path.startsWith(`${f}[`),
                ),
            ),
        );
      } catch {
        // wrong types: the schema diagnostics already say what to fix
      }
    }
  }
  diagnostics.push(...findCycles(parsed));
  const loaded = new Map<string, LoadedSpec>();
  for (const [name, { source, spec }] of parsed) {
    loaded.set(name, {
      name,
      dir: source.file.replace(/\/image\.yaml$/, ''),
      file: source.file,
      spec,
      text: source.text,
    });
  }
  const order = (d: Diagnostic) =>
    [d.file, String(d.line ?? 0).padStart(6, '0'), String(d.column ?? 0).padStart(4, '0')].join(
      '|',
    );
  return {
    specs: loaded,
    diagnostics: [...diagnostics].sort((a, b) =>
      order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0,
    ),
  };
}

function findCycles(
  parsed: Map<string, { source: SpecSource; doc: ParsedDocument; spec: ImageSpec }>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const [start, entry] of parsed) {
    const chain = [start];
    let current = entry.spec.base;
    while (current !== undefined && isCatalogueRef(current) && parsed.has(current)) {
      if (current === start) {
        const key = [...chain].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          const ctx = {
            name: start,
            file: entry.source.file,
            spec: entry.spec,
            doc: entry.doc,
            specs: new Map(),
            profiles: new Map(),
          };
          const message =
            chain.length === 1
              ? `image "${start}" is based on itself`
              : `base images form a cycle: ${[...chain, start].join(' -> ')}`;
          out.push(
            at(
              ctx,
              ['base'],
              message,
              'point base: at an external image or at an image outside the cycle',
            ),
          );
        }
        break;
      }
      if (chain.includes(current)) break;
      chain.push(current);
      current = parsed.get(current)?.spec.base;
    }
  }
  return out;
}
