import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import {
  formatPath,
  parseYamlDocument,
  SpecError,
  type Diagnostic,
  type ImageVariant,
} from '@imagesmith/core';

/** A spec file in the build context: its bytes and whether it is executable (0755, else 0644). */
export interface ContextFile {
  bytes: Buffer;
  executable: boolean;
}

/**
 * The spec's `files:` as build-context entries, `files/<src path>` -> bytes and mode, read from
 * images/<name>/. A symlink is followed only while it stays inside that folder; a missing src is
 * refused; hidden entries inside a folder (.git, .env) are left out. Errors name the spec file,
 * field and line. The copied-files rule checked the paths' spelling already (no `..`, nothing
 * absolute or hidden).
 */
export function readSpecFiles(
  root: string,
  v: Pick<ImageVariant, 'image' | 'spec' | 'specFile'>,
): Record<string, ContextFile> {
  const out: Record<string, ContextFile> = {};
  const dir = join(root, 'images', v.image);
  const problems: Diagnostic[] = [];
  const inside = (real: string, top: string) => real === top || real.startsWith(top + sep);
  const seen = new Set<string>();
  (v.spec.files ?? []).forEach((f, i) => {
    const refuse = (message: string, hint: string): void => {
      problems.push(diagnostic(root, v.specFile, ['files', i, 'src'], message, hint));
    };
    let top: string;
    try {
      top = realpathSync(dir);
    } catch {
      return refuse(`images/${v.image}/ cannot be read`, 'check that the image folder exists');
    }
    const walk = (rel: string): void => {
      const path = join(dir, rel);
      let real: string;
      try {
        real = realpathSync(path);
      } catch {
        return refuse(
          lstatSync(path, { throwIfNoEntry: false })
            ? `images/${v.image}/${rel} is a dangling symlink`
            : `images/${v.image}/${rel} does not exist`,
          `create it, or fix the path (relative to images/${v.image}/)`,
        );
      }
      if (!inside(real, top))
        return refuse(
          `images/${v.image}/${rel} is a symlink to ${real}, outside images/${v.image}/`,
          `copy what it points at into images/${v.image}/ instead of linking to it`,
        );
      const stat = statSync(real);
      if (stat.isDirectory()) {
        // A link to a folder above it would walk forever.
        if (seen.has(real)) return;
        seen.add(real);
        for (const name of readdirSync(real).sort())
          if (!name.startsWith('.')) walk(`${rel}/${name}`);
      } else if (stat.isFile()) {
        out[`files/${rel}`] = {
          bytes: readFileSync(real),
          executable: (stat.mode & 0o111) !== 0,
        };
      } else refuse(`images/${v.image}/${rel} is not a file or folder`, 'copy regular files only');
    };
    walk(f.src.replace(/\/+$/, ''));
  });
  if (problems.length > 0) throw new SpecError(problems);
  return out;
}

function diagnostic(
  root: string,
  file: string,
  path: (string | number)[],
  message: string,
  hint: string,
): Diagnostic {
  const text = readFileSync(join(root, file), 'utf8');
  const pos = parseYamlDocument(text, file).doc?.positionOf(path);
  return { file, ...(pos ?? {}), path: formatPath(path), message, hint };
}
